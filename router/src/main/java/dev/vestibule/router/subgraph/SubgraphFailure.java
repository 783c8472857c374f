package dev.vestibule.router.subgraph;

import dev.vestibule.router.concurrent.SharedCalls;

/** A subgraph request that produced no usable GraphQL response: what went wrong, as an error code and a reason. */
public final class SubgraphFailure extends Exception {
    private final String code;

    public SubgraphFailure(String code, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.code = code;
    }

    /** Why a request that joined a shared call to {@code target} (a URL, or "subgraph NAME") got no answer. */
    public static SubgraphFailure missed(SharedCalls.Miss miss, String target) {
        return switch (miss) {
            case SharedCalls.Miss.TimedOut t ->
                    new SubgraphFailure("SUBGRAPH_TIMEOUT", "no answer from " + target + " in time", null);
            case SharedCalls.Miss.Interrupted i ->
                    new SubgraphFailure("SUBGRAPH_TIMEOUT", "interrupted while waiting for " + target, null);
            case SharedCalls.Miss.LeaderFailed f ->
                    new SubgraphFailure("SUBGRAPH_UNREACHABLE", "the shared request to " + target + " failed: " + f.cause(), f.cause());
        };
    }

    /**
     * SUBGRAPH_UNREACHABLE, SUBGRAPH_TIMEOUT, SUBGRAPH_HTTP_ERROR, SUBGRAPH_INVALID_REQUEST, SUBGRAPH_INVALID_RESPONSE,
     * SUBGRAPH_RATE_LIMITED, REQUEST_TIMEOUT (the request's deadline passed before the call), or INTERNAL_SERVER_ERROR
     * (a shared entity fetch that does not fit the request: a router bug).
     */
    public String code() {
        return code;
    }
}
