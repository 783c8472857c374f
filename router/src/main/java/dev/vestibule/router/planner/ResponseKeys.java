package dev.vestibule.router.planner;

/**
 * Internal aliases the planner gives fields in subgraph operations, and their removal when results are merged.
 * Client aliases cannot collide: names starting with "__" are reserved by the GraphQL spec.
 */
public final class ResponseKeys {
    private static final String PREFIX = "__vestibule_";

    private ResponseKeys() {}

    public static String alias(String responseKey) {
        return PREFIX + responseKey;
    }

    /** The client's response key behind an internal alias, or the key itself. */
    public static String unalias(String key) {
        return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    }
}
