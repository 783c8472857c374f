package dev.vestibule.router.operation;

/**
 * The most an operation may ask for, checked before planning: nesting depth (fragments expanded), aliases, root
 * fields, and lexical tokens (enforced by the parser). An operation at a limit passes; one above it gets 400.
 */
public record OperationLimits(int maxDepth, int maxAliases, int maxRootFields, int maxTokens) {
    /** Generous defaults that stop abuse without getting in the way of real clients. */
    public static final OperationLimits DEFAULTS = new OperationLimits(100, 500, 100, 15_000);
}
