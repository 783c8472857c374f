package dev.vestibule.router.execution;

/**
 * How execution treats subgraph errors: passed through as the subgraph wrote them, or masked (the default) to a
 * generic message with the subgraph's name and the error code in extensions; the protection limit per subgraph; and
 * whether identical subgraph queries in flight at once share one call.
 */
public record ExecutionSettings(boolean exposeSubgraphErrors, dev.vestibule.router.subgraph.SubgraphProtection protection,
                                boolean shareSubgraphQueries) {
    public static final ExecutionSettings DEFAULTS = new ExecutionSettings(false, dev.vestibule.router.subgraph.SubgraphProtection.NONE, true);

    public ExecutionSettings(boolean exposeSubgraphErrors) {
        this(exposeSubgraphErrors, dev.vestibule.router.subgraph.SubgraphProtection.NONE, true);
    }
}
