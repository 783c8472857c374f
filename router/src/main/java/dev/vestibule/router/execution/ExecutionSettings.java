package dev.vestibule.router.execution;

/**
 * How execution treats subgraph errors: passed through as the subgraph wrote them, or masked (the default) to a
 * generic message with the subgraph's name and the error code in extensions; and the protection limit per subgraph.
 */
public record ExecutionSettings(boolean exposeSubgraphErrors, dev.vestibule.router.subgraph.SubgraphProtection protection) {
    public static final ExecutionSettings DEFAULTS = new ExecutionSettings(false, dev.vestibule.router.subgraph.SubgraphProtection.NONE);

    public ExecutionSettings(boolean exposeSubgraphErrors) {
        this(exposeSubgraphErrors, dev.vestibule.router.subgraph.SubgraphProtection.NONE);
    }
}
