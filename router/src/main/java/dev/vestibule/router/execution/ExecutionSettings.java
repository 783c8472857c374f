package dev.vestibule.router.execution;

/**
 * How execution treats subgraph errors: passed through as the subgraph wrote them, or masked (the default) to a
 * generic message with the subgraph's name and the error code in extensions.
 */
public record ExecutionSettings(boolean exposeSubgraphErrors) {
    public static final ExecutionSettings DEFAULTS = new ExecutionSettings(false);
}
