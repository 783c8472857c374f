package dev.vestibule.router.operation;

/**
 * The most an operation may ask for, checked before planning: nesting depth (fragments expanded), aliases, root
 * fields, lexical tokens (enforced by the parser), and an estimated cost from @cost/@listSize ({@code maxCost} 0: no
 * limit; lists without @listSize count {@code defaultListSize} items). At a limit passes; above it gets 400.
 */
public record OperationLimits(int maxDepth, int maxAliases, int maxRootFields, int maxTokens, long maxCost,
                              int defaultListSize) {
    /** Generous defaults that stop abuse without getting in the way of real clients; no cost limit. */
    public static final OperationLimits DEFAULTS = new OperationLimits(100, 500, 100, 15_000, 0, 10);

    public OperationLimits(int maxDepth, int maxAliases, int maxRootFields, int maxTokens) {
        this(maxDepth, maxAliases, maxRootFields, maxTokens, 0, 10);
    }
}
