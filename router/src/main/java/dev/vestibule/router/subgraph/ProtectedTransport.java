package dev.vestibule.router.subgraph;

import java.io.IOException;

/**
 * The per-subgraph protection limit and bulkhead ({@link SubgraphProtection}) around a transport: a call over its
 * subgraph's allowance or in-flight bound is not sent and fails with SUBGRAPH_RATE_LIMITED or SUBGRAPH_BULKHEAD_FULL,
 * as if the subgraph were unavailable.
 *
 * <p>Below the shared calls: only a call that goes out takes a permit. A fetch that joins an identical call in flight
 * (or an entity fetch in flight over the same data) takes none, since it adds no load to the subgraph, and it fails
 * with SUBGRAPH_RATE_LIMITED only if the call it joined was refused. The limit counts calls sent, which is what it
 * protects the subgraph from.
 */
public final class ProtectedTransport implements SubgraphTransport {
    private final SubgraphTransport next;
    private final SubgraphProtection protection;

    private ProtectedTransport(SubgraphTransport next, SubgraphProtection protection) {
        this.next = next;
        this.protection = protection;
    }

    /** {@code transport} limited by {@code protection}; {@code transport} itself when it limits no subgraph. */
    public static SubgraphTransport around(SubgraphTransport transport, SubgraphProtection protection) {
        return protection.limitsNothing() ? transport : new ProtectedTransport(transport, protection);
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException, SubgraphFailure {
        protection.acquire(call.subgraph());
        try {
            return next.send(call);
        } finally {
            protection.release(call.subgraph());
        }
    }

    @Override
    public void close() {
        next.close();
    }
}
