package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.io.IOException;
import java.util.Map;

/**
 * Sends each call of a subgraph with a pool ({@link InstancePool}) to one of its instances: the call's URL (the
 * supergraph's) is replaced by the instance's. The lowest decorator: every attempt, retries included, is balanced
 * and counted for outlier detection. A call that gets no connection, no answer or an HTTP 5xx is a failure of its
 * instance; any other answer a success.
 */
final class PooledTransport implements SubgraphTransport {
    private final SubgraphTransport next;
    private final Map<String, InstancePool> pools;

    PooledTransport(SubgraphTransport next, Map<String, InstancePool> pools) {
        this.next = next;
        this.pools = Map.copyOf(pools);
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException, SubgraphFailure {
        InstancePool pool = pools.get(call.subgraph());
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
        next.close();
    }
}
