package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.io.IOException;
import java.util.Map;

/**
 * Sends each call of a subgraph with a pool ({@link InstancePool}) to one of its instances: the call's URL (the
 * supergraph's) is replaced by the instance's. The lowest decorator: every attempt, retries included, is balanced
 * and counted for outlier detection. A canary's calls go to the canary's pool. A call that gets no connection, no answer or an HTTP 5xx is a failure of its
 * instance; any other answer a success.
 */
final class PooledTransport implements SubgraphTransport {
    private final SubgraphTransport next;
    private final Map<String, InstancePool> pools;
    private final Map<String, InstancePool> canariesByUrl;
    private final HealthChecks healthChecks;
    private final TrafficObserver observer;

    PooledTransport(SubgraphTransport next, Map<String, InstancePool> pools, Map<String, InstancePool> canariesByUrl,
                    HealthChecks healthChecks, TrafficObserver observer) {
        this.observer = observer;
        this.next = next;
        this.pools = Map.copyOf(pools);
        this.canariesByUrl = Map.copyOf(canariesByUrl);
        this.healthChecks = healthChecks;
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException, SubgraphFailure {
        // a canary's calls carry its first instance's URL (SubgraphTraffic.url)
        InstancePool pool = canariesByUrl.isEmpty() ? null : canariesByUrl.get(call.url());
        if (pool != null) observer.canaryCall(call.subgraph());
        else pool = pools.get(call.subgraph());
        if (pool == null) return next.send(call);
        InstancePool.Instance instance = pool.pick(System.nanoTime());
        boolean told = false;
        try {
            Reply reply = next.send(new SubgraphCall(call.subgraph(), instance.url, call.body(), call.headers(),
                    call.propagationHeaders(), call.deadlineNanos(), call.idempotent()));
            pool.done(instance, reply.status() >= 500, System.nanoTime());
            told = true;
            return reply;
        } catch (IOException e) {
            pool.done(instance, true, System.nanoTime());
            told = true;
            throw e;
        } finally {
            if (!told) pool.cancelled(instance);
        }
    }

    @Override
    public void close() {
        healthChecks.close();
        next.close();
    }
}
