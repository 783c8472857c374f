package dev.vestibule.tests.differential;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.schema.GraphQLSchema;
import java.util.Optional;

/**
 * Differences from the references that are known and accepted, each with its reason and a precise test of the
 * answers, so that the CI sample stays green on them and fails on any other, and a run's summary counts them apart.
 * A planner bug does not belong here for long: when it is fixed, its entry goes and the CI test then guards the fix
 * (the last one, an empty selection set sent to a subgraph, class A1 in docs/conformance.md, went that way). What is
 * left are the cases where Vestibule follows the specs and the references do not (docs/conformance.md argues each).
 */
final class KnownDifferences {
    /** One accepted class of difference. */
    record Known(String name, String reason) {}

    static final Known CONFLICTING_TYPES_SENT_BY_REFERENCES = new Known("references send a field under one key with two types",
            "both references select one response key as ID and ID! in one subgraph query, which the subgraph rejects; the"
                    + " operation is valid against the API schema and Vestibule asks under an internal alias (child-type-mismatch)");
    static final Known VALUE_THE_SCHEMA_CANNOT_REPRESENT = new Known("field error for a value its type cannot represent",
            "a subgraph's leaf value of the wrong type: null and a field error in errors (the spec's result coercion);"
                    + " Apollo Gateway puts its error in extensions.valueCompletion, Hive Gateway none (docs/conformance.md)");

    private KnownDifferences() {}

    /** The known class that explains this difference, if one does. */
    static Optional<Known> explain(GraphQLSchema schema, DifferentialRunner.Case c) {
        if (c.difference().isEmpty()) return Optional.empty();
        if (!c.references().isEmpty() && c.references().values().stream().allMatch(a -> hasError(a.raw(), "conflict because they return conflicting types"))
                && !hasError(c.vestibule().raw(), "conflicting types")) {
            return Optional.of(CONFLICTING_TYPES_SENT_BY_REFERENCES);
        }
        JsonNode errors = c.vestibule().raw().path("errors");
        if (c.difference().get().kind() == Answer.Kind.EXTRA_ERRORS && errors.isArray() && !errors.isEmpty()) {
            boolean all = true;
            for (JsonNode error : errors) all &= error.path("message").asText().startsWith("a subgraph returned a value that is not a valid ");
            if (all) return Optional.of(VALUE_THE_SCHEMA_CANNOT_REPRESENT);
        }
        return Optional.empty();
    }

    private static boolean hasError(JsonNode response, String text) {
        for (JsonNode error : response.path("errors")) if (error.path("message").asText().contains(text)) return true;
        return false;
    }
}
