package dev.vestibule.router.subgraph;

import dev.vestibule.router.concurrent.SharedCalls;

/**
 * A subgraph request that produced no usable GraphQL response: what went wrong, as an error code and a reason.
 * The reason reaches clients (after the subgraph's name), so it never holds a URL, an address, a port or an
 * exception's text: those go to the log where the failure happens ({@link SubgraphClient}).
 */
public final class SubgraphFailure extends Exception {
    private final String code;

    public SubgraphFailure(String code, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.code = code;
    }

    /** Why a request that joined a shared call got no answer (the leader's own failure, if any, was logged by it). */
    public static SubgraphFailure missed(SharedCalls.Miss miss) {
        return switch (miss) {
            case SharedCalls.Miss.TimedOut t -> new SubgraphFailure("SUBGRAPH_TIMEOUT", "no answer in time", null);
            case SharedCalls.Miss.Interrupted i -> new SubgraphFailure("SUBGRAPH_TIMEOUT", "interrupted while waiting for the answer", null);
            case SharedCalls.Miss.LeaderFailed f -> new SubgraphFailure("SUBGRAPH_UNREACHABLE", "the shared request failed", f.cause());
        };
    }

    /**
     * SUBGRAPH_UNREACHABLE, SUBGRAPH_TIMEOUT, SUBGRAPH_HTTP_ERROR, SUBGRAPH_INVALID_REQUEST, SUBGRAPH_INVALID_RESPONSE,
     * SUBGRAPH_RATE_LIMITED, SUBGRAPH_BULKHEAD_FULL, SUBGRAPH_CIRCUIT_OPEN (decided by a decorator: the call was not
     * sent), REQUEST_TIMEOUT (the request's deadline passed before the call), or INTERNAL_SERVER_ERROR
     * (a shared entity fetch that does not fit the request: a router bug).
     */
    public String code() {
        return code;
    }
}
