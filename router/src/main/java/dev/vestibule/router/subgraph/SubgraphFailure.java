package dev.vestibule.router.subgraph;

/** A subgraph request that produced no usable GraphQL response: what went wrong, as an error code and a reason. */
public final class SubgraphFailure extends Exception {
    private final String code;

    public SubgraphFailure(String code, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.code = code;
    }

    /** SUBGRAPH_UNREACHABLE, SUBGRAPH_TIMEOUT, SUBGRAPH_HTTP_ERROR or SUBGRAPH_INVALID_RESPONSE. */
    public String code() {
        return code;
    }
}
