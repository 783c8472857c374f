package dev.vestibule.router.planner;

/**
 * Internal aliases the planner gives fields in subgraph operations. Client aliases cannot collide: names starting
 * with "__" are reserved by the GraphQL spec. Two kinds:
 * <ul>
 *   <li>retyped fields (the subgraph's type differs from the supergraph's): the alias is removed when results are
 *       merged, so the value lands under the client's key;</li>
 *   <li>fields a @requires needs with arguments: they keep their alias in the data (the same field may be needed
 *       with other arguments, or selected by the client), and representations carry them under the field's name.</li>
 * </ul>
 */
public final class ResponseKeys {
    private static final String RETYPED = "__vestibule_t_";
    private static final String REQUIRED = "__vestibule_r";

    private ResponseKeys() {}

    public static String alias(String responseKey) {
        return RETYPED + responseKey;
    }

    /** The data key of a field selected for a @requires with these printed arguments. */
    public static String requiredWithArguments(String fieldName, String arguments) {
        return REQUIRED + Integer.toHexString(arguments.hashCode()) + "_" + fieldName;
    }

    /** Whether a subgraph operation aliases any retyped field (its answers then have keys to unalias). */
    public static boolean retypes(String operation) {
        return operation.contains(RETYPED);
    }

    /** The client's response key behind a retyped field's alias, or the key itself. */
    public static String unalias(String key) {
        return key.startsWith(RETYPED) ? key.substring(RETYPED.length()) : key;
    }
}
