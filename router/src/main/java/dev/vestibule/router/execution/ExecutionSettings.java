package dev.vestibule.router.execution;

/**
 * How execution treats subgraph errors: passed through as the subgraph wrote them, or masked (the default) to a
 * generic message with the subgraph's name and the error code in extensions; and whether identical subgraph queries
 * in flight at once share one call. (The protection limit per subgraph is a transport decorator:
 * {@code ProtectedTransport}.)
 */
public record ExecutionSettings(boolean exposeSubgraphErrors, boolean shareSubgraphQueries) {
    public static final ExecutionSettings DEFAULTS = new ExecutionSettings(false, true);

    public ExecutionSettings(boolean exposeSubgraphErrors) {
        this(exposeSubgraphErrors, true);
    }
}
