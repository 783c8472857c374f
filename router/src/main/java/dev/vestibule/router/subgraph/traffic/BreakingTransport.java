package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Circuit breakers around a transport, one per subgraph that has one ({@link CircuitBreaker}). Below the retries:
 * each attempt is counted, and a retry the breaker refuses is not sent (a refusal is not retried). A refused call
 * fails with SUBGRAPH_CIRCUIT_OPEN, which the executor puts at the fetch's paths like any failed fetch, so the rest of
 * the answer is still served.
 */
final class BreakingTransport implements SubgraphTransport {
    private final SubgraphTransport next;
    private final Map<String, CircuitBreaker> breakers;
    private final TrafficObserver observer;
    private final Set<String> canaryUrls;

    /**
     * @param canaryUrls the URLs calls to canaries carry: they pass no breaker (a failing canary must not open the
     *                   primary's; its pool's outlier detection and health checks take its instances out)
     */
    BreakingTransport(SubgraphTransport next, Map<String, CircuitBreaker> breakers, Set<String> canaryUrls, TrafficObserver observer) {
        this.next = next;
        this.breakers = Map.copyOf(breakers);
        this.canaryUrls = Set.copyOf(canaryUrls);
        this.observer = observer;
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException, SubgraphFailure {
        CircuitBreaker breaker = breakers.get(call.subgraph());
        if (breaker == null || (!canaryUrls.isEmpty() && canaryUrls.contains(call.url()))) return next.send(call);
        CircuitBreaker.Permit permit = breaker.acquire(System.nanoTime());
        if (permit == CircuitBreaker.Permit.REFUSED) {
            observer.circuitRejected(call.subgraph());
            throw new SubgraphFailure("SUBGRAPH_CIRCUIT_OPEN", "its circuit breaker is open after repeated failures; the fetch was not sent",
                    null);
        }
        boolean recorded = false;
        try {
            Reply reply = next.send(call);
            breaker.record(permit, breaker.failureStatus(reply.status()), System.nanoTime());
            recorded = true;
            return reply;
        } catch (IOException e) {
            // no connection, a cut connection, no answer in time: all count
            breaker.record(permit, true, System.nanoTime());
            recorded = true;
            throw e;
        } finally {
            if (!recorded) breaker.cancel(permit);
        }
    }

    @Override
    public void close() {
        next.close();
    }
}
