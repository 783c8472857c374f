package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.parser.Parser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each accepted class of {@link KnownDifferences} takes the answers it was argued for (recorded from the differential
 * runs, shrunk; docs/conformance.md) and none of the near cases that would be a bug of Vestibule's.
 */
class KnownDifferencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEDERATION =
            "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@external\", \"@requires\", \"@shareable\", \"@interfaceObject\"])\n";

    private static Answer answer(String json) throws Exception {
        return Answer.of(JSON.readTree(json), 0);
    }

    private static DifferentialRunner.Case caseOf(String operation, String vestibule, String apollo, String hive) throws Exception {
        Answer mine = answer(vestibule);
        Answer reference = answer(apollo);
        return new DifferentialRunner.Case("t", 1, new GeneratedOperation(Parser.parse(operation), Map.of()), mine,
                Map.of("apollo", reference, "hive", answer(hive)), mine.differenceFrom(reference), false, null, Optional.empty());
    }

    private static Optional<KnownDifferences.Known> explain(Supergraph supergraph, String operation, String vestibule, String apollo,
                                                            String hive) throws Exception {
        return KnownDifferences.explain(supergraph, caseOf(operation, vestibule, apollo, hive));
    }

    private static Supergraph composed(Map<String, String> subgraphs) {
        List<SubgraphSource> sources = subgraphs.entrySet().stream()
                .map(e -> new SubgraphSource(e.getKey(), "http://127.0.0.1:1/" + e.getKey(), FEDERATION + e.getValue(), "test")).toList();
        CompositionResult result = Composer.compose(sources);
        assertThat(result).isInstanceOf(CompositionResult.Composed.class);
        return SupergraphLoader.load(((CompositionResult.Composed) result).supergraphSdl());
    }

    @Test
    void conflictingTypesTheReferencesSendAndValuesTheSchemaCannotRepresent() throws Exception {
        String conflict = "{\"data\":null,\"errors\":[{\"message\":\"Fields \\\"id\\\" conflict because they return conflicting types \\\"ID\\\" and \\\"ID!\\\".\"}]}";
        assertThat(explain(null, "{ a { id } }", "{\"data\":{\"a\":[{\"id\":\"1\"}]}}", conflict, conflict))
                .contains(KnownDifferences.CONFLICTING_TYPES_SENT_BY_REFERENCES);
        // seed 51: Hive Gateway masks the same failure as an internal error; Apollo Gateway shows it
        String masked = "{\"data\":null,\"errors\":[{\"message\":\"Unexpected error.\",\"path\":[\"a\"],"
                + "\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}}]}";
        assertThat(explain(null, "{ a { id } }", "{\"data\":{\"a\":[{\"id\":\"1\"}]}}", conflict, masked))
                .contains(KnownDifferences.CONFLICTING_TYPES_SENT_BY_REFERENCES);
        // masked errors on both sides, or beside another error, say nothing of a conflict
        assertThat(explain(null, "{ a { id } }", "{\"data\":{\"a\":[{\"id\":\"1\"}]}}", masked, masked)).isEmpty();
        assertThat(explain(null, "{ a { id } }", "{\"data\":{\"a\":[{\"id\":\"1\"}]}}", conflict,
                masked.replace("]}", ",{\"message\":\"other\"}]}"))).isEmpty();
        assertThat(explain(null, "{ a }",
                "{\"data\":{\"a\":null},\"errors\":[{\"message\":\"a subgraph returned a value that is not a valid Int value\",\"path\":[\"a\"]}]}",
                "{\"data\":{\"a\":null}}", "{\"data\":{\"a\":null}}")).contains(KnownDifferences.VALUE_THE_SCHEMA_CANNOT_REPRESENT);
        // any other error beside it, or other data, is not explained
        assertThat(explain(null, "{ a }",
                "{\"data\":{\"a\":null},\"errors\":[{\"message\":\"a subgraph returned a value that is not a valid Int value\"},{\"message\":\"other\"}]}",
                "{\"data\":{\"a\":null}}", "{\"data\":{\"a\":null}}")).isEmpty();
        assertThat(explain(null, "{ a }", "{\"data\":{\"a\":null},\"errors\":[{\"message\":\"x\"}]}",
                "{\"data\":{\"a\":1}}", "{\"data\":{\"a\":1}}")).isEmpty();
    }

    /** provides-on-interface, seed 21: Apollo Gateway asks a for media (punished), Hive Gateway sends b an undefined variable. */
    @Test
    void theReferencesOwnFailingRequests() throws Exception {
        String operation = "query Q($v3: Boolean!) { media { id __typename @skip(if: $v3) } }";
        String vestibule = "{\"data\":{\"media\":{\"id\":\"m1\"}}}";
        String apollo = "{\"errors\":[{\"message\":\"You should be using the 'a' subgraph!\",\"path\":[\"media\"],"
                + "\"extensions\":{\"serviceName\":\"a\",\"code\":\"DOWNSTREAM_SERVICE_ERROR\"}}],\"data\":{\"media\":null}}";
        String hive = "{\"errors\":[{\"message\":\"Variable \\\"$v3\\\" is not defined by operation \\\"Q\\\".\",\"path\":[\"media\"],"
                + "\"extensions\":{\"code\":\"GRAPHQL_VALIDATION_FAILED\",\"serviceName\":\"b\"}}],\"data\":{\"media\":null}}";
        assertThat(explain(null, operation, vestibule, apollo, hive)).contains(KnownDifferences.REFERENCES_FAIL_THEIR_OWN_PLANS);
        // Vestibule sharing the references' failure on another root field (seed 21: all three ask a for a8: media { id })
        String punishedA8 = "{\"message\":\"You should be using the 'a' subgraph!\",\"path\":[\"a8\"],"
                + "\"extensions\":{\"serviceName\":\"a\",\"code\":\"SUBGRAPH_ERROR\"}}";
        String punishedMedia = "{\"message\":\"You should be using the 'a' subgraph!\",\"path\":[\"media\"],"
                + "\"extensions\":{\"serviceName\":\"a\",\"code\":\"DOWNSTREAM_SERVICE_ERROR\"}}";
        String undefinedVariable = "{\"message\":\"Variable \\\"$v3\\\" is not defined by operation \\\"Q\\\".\",\"path\":[\"media\"],"
                + "\"extensions\":{\"code\":\"GRAPHQL_VALIDATION_FAILED\",\"serviceName\":\"b\"}}";
        assertThat(explain(null, "{ media { id } a8: media { id } }",
                "{\"errors\":[" + punishedA8 + "],\"data\":{\"media\":{\"id\":\"m1\"},\"a8\":null}}",
                "{\"errors\":[" + punishedMedia + "," + punishedA8 + "],\"data\":{\"media\":null,\"a8\":null}}",
                "{\"errors\":[" + undefinedVariable + "," + punishedA8 + "],\"data\":{\"media\":null,\"a8\":null}}"))
                .contains(KnownDifferences.REFERENCES_FAIL_THEIR_OWN_PLANS);
        // seed 24: Hive Gateway spreads a fragment it does not define in its operation to b
        String unknownFragment = "{\"errors\":[{\"message\":\"Unknown fragment \\\"F2\\\".\",\"path\":[\"media\"],"
                + "\"extensions\":{\"code\":\"GRAPHQL_VALIDATION_FAILED\",\"serviceName\":\"b\"}}],\"data\":{\"media\":null}}";
        assertThat(explain(null, "query Q { media { ...F1 } } fragment F2 on Cat { id } fragment F1 on Media { animals { ...F2 } }",
                "{\"data\":{\"media\":{\"animals\":[{},{\"id\":\"a2\"}]}}}", apollo, unknownFragment))
                .contains(KnownDifferences.REFERENCES_FAIL_THEIR_OWN_PLANS);
        // a fragment error the gateway did not cause (no subgraph named) is not this class
        assertThat(explain(null, operation, vestibule, apollo, unknownFragment.replace(",\"serviceName\":\"b\"", ""))).isEmpty();
        // both punished alike: still the references' plans
        assertThat(explain(null, operation, vestibule, apollo, apollo)).contains(KnownDifferences.REFERENCES_FAIL_THEIR_OWN_PLANS);
        // Vestibule with an error of its own, a reference with any other error, or a reference's error that is not a
        // subgraph's: not this class
        assertThat(explain(null, operation, "{\"data\":{\"media\":{\"id\":\"m1\"}},\"errors\":[{\"message\":\"x\"}]}", apollo, hive)).isEmpty();
        assertThat(explain(null, operation, "{\"data\":{\"media\":{\"id\":\"m1\"}},\"errors\":[{\"message\":\"x\",\"path\":[\"media\",\"id\"]}]}",
                apollo, hive)).isEmpty();
        assertThat(explain(null, operation, vestibule, apollo, hive.replace("is not defined", "is never used"))).isEmpty();
        assertThat(explain(null, operation, vestibule, apollo,
                "{\"errors\":[{\"message\":\"Variable \\\"$v3\\\" is not defined by operation \\\"Q\\\".\",\"extensions\":{\"code\":\"GRAPHQL_VALIDATION_FAILED\"}}],\"data\":{\"media\":null}}"))
                .isEmpty();
        assertThat(explain(null, operation, vestibule, apollo.replace("You should be", "Why not be"), hive)).isEmpty();
        // seed 51, requires-with-argument: Apollo Gateway asks d for comments under one key with two argument sets,
        // Hive Gateway's planner finds no way to author
        String feed = "query Q { feed { author { name } comments(limit: 1) { date } } }";
        String differingArguments = "{\"errors\":[{\"message\":\"Fields \\\"comments\\\" conflict because they have differing arguments."
                + " Use different aliases on the fields to fetch both if this was intentional.\",\"extensions\":{\"code\":\"GRAPHQL_VALIDATION_FAILED\","
                + "\"serviceName\":\"d\"}}],\"data\":{\"feed\":[{\"author\":null,\"comments\":null}]}}";
        String unsatisfiable = "{\"errors\":[{\"message\":\"The following field cannot be satisfied by the subschemas\",\"path\":[\"feed\",0,\"author\"],"
                + "\"extensions\":{\"code\":\"SATISFIABILITY_ERROR\"}}],\"data\":{\"feed\":[{\"author\":null,\"comments\":null}]}}";
        String answered = "{\"data\":{\"feed\":[{\"author\":{\"name\":\"a2-name\"},\"comments\":[{\"date\":null}]}]}}";
        assertThat(explain(null, feed, answered, differingArguments, unsatisfiable)).contains(KnownDifferences.REFERENCES_FAIL_THEIR_OWN_PLANS);
        // the same message from no subgraph (the client's own operation) is not the gateway's plan
        assertThat(explain(null, feed, answered, differingArguments.replace(",\"serviceName\":\"d\"", ""), unsatisfiable)).isEmpty();
        // seed 53, samples: Apollo Gateway sends products weight under one key with two argument sets (graphql-java's
        // subgraph rejects it), Hive Gateway masks its failure elsewhere and nulls all the data
        String search = "query Q { search(text: \"1\") { ... on Product { weight shippingEstimate } } products { pageInfo { hasNextPage } } }";
        String javaConflict = "{\"errors\":[{\"message\":\"Validation error (FieldsConflict) : 'search/weight' : fields have different arguments\","
                + "\"extensions\":{\"classification\":\"ValidationError\",\"serviceName\":\"products\",\"code\":\"DOWNSTREAM_SERVICE_ERROR\"}}],\"data\":null}";
        String maskedElsewhere = "{\"errors\":[{\"message\":\"Unexpected error.\",\"path\":[\"products\",\"pageInfo\",\"hasNextPage\"],"
                + "\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}}],\"data\":null}";
        String searched = "{\"data\":{\"search\":[{\"weight\":1.0,\"shippingEstimate\":2}],\"products\":{\"pageInfo\":{\"hasNextPage\":true}}}}";
        assertThat(explain(null, search, searched, javaConflict, maskedElsewhere)).contains(KnownDifferences.REFERENCES_FAIL_THEIR_OWN_PLANS);
        // masked errors only, with no reference showing its own failure: not this class
        assertThat(explain(null, search, searched, maskedElsewhere, maskedElsewhere)).isEmpty();
        assertThat(explain(null, search, searched, javaConflict.replace("\"classification\":\"ValidationError\",", ""), maskedElsewhere)).isEmpty();
        // other data where the references have data is not their failure
        assertThat(explain(null, operation, vestibule, "{\"data\":{\"media\":{\"id\":\"m2\"}}}", "{\"data\":{\"media\":{\"id\":\"m2\"}}}")).isEmpty();
    }

    /** requires-interface, seeds 4, 19 and 21: country requires address { ... on WorkAddress { id } }, u1's address is a HomeAddress. */
    @Test
    void requiresThroughATypeConditionThatDoesNotApply() throws Exception {
        Supergraph supergraph = composed(Map.of(
                "a", """
                        type Query { a: User }
                        interface Address { id: ID! }
                        type HomeAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
                        type WorkAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
                        type User @key(fields: "id") { id: ID! name: String! @shareable address: Address @external
                          city: String @requires(fields: "address { id }")
                          country: String @requires(fields: "address { ... on WorkAddress { id } }") }
                        """,
                "b", """
                        type Query { b: User }
                        interface Address { id: ID! }
                        type HomeAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
                        type WorkAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
                        type User @key(fields: "id") { id: ID! name: String! @shareable address: Address @shareable }
                        """));
        String operation = "{ a { address { id } } a { country city @skip(if: true) } }";
        String reference = "{\"data\":{\"a\":{\"address\":{\"id\":\"a1\"},\"country\":\"a1-country\"}}}";
        assertThat(explain(supergraph, operation, "{\"data\":{\"a\":{\"address\":{\"id\":\"a1\"},\"country\":null}}}", reference, reference))
                .contains(KnownDifferences.REQUIRES_THROUGH_TYPE_CONDITION);
        // aliased, the field is still found by its name
        assertThat(explain(supergraph, "{ a { address { id } } a { c: country } }", "{\"data\":{\"a\":{\"address\":{\"id\":\"a1\"},\"c\":null}}}",
                reference.replace("country", "c"), reference.replace("country", "c"))).contains(KnownDifferences.REQUIRES_THROUGH_TYPE_CONDITION);
        // city's requires has no type condition: a null there is a bug
        String cityReference = "{\"data\":{\"a\":{\"city\":\"a1-city\"}}}";
        assertThat(explain(supergraph, "{ a { city } }", "{\"data\":{\"a\":{\"city\":null}}}", cityReference, cityReference)).isEmpty();
        // with an error, or another value rather than null: not this class
        assertThat(explain(supergraph, operation, "{\"data\":{\"a\":{\"address\":{\"id\":\"a1\"},\"country\":null}},\"errors\":[{\"message\":\"x\"}]}",
                reference, reference)).isEmpty();
        assertThat(explain(supergraph, operation, "{\"data\":{\"a\":{\"address\":{\"id\":\"a1\"},\"country\":\"other\"}}}", reference, reference)).isEmpty();
        // a supergraph without such a requires
        assertThat(explain(SupergraphLoader.load(Files.readString(nonResolvableInterfaceObject())), operation,
                "{\"data\":{\"a\":{\"address\":{\"id\":\"a1\"},\"country\":null}}}", reference, reference)).isEmpty();
    }

    private static Path nonResolvableInterfaceObject() {
        return Path.of("..", "router", "src", "test", "resources", "supergraphs", "non-resolvable-interface-object.graphql");
    }

    /** non-resolvable-interface-object, seeds 19 and 21: Node has no implementation, Node.field cannot be planned. */
    @Test
    void fieldsOfAnInterfaceWithoutImplementations() throws Exception {
        Supergraph supergraph = SupergraphLoader.load(Files.readString(nonResolvableInterfaceObject()));
        String failed = "{\"errors\":[{\"message\":\"the operation cannot be planned: cannot plan Node.field from subgraph a: no subgraph"
                + " that resolves it has a key that a can provide\",\"extensions\":{\"code\":\"QUERY_PLANNING_FAILED\"}}]}";
        String reference = "{\"data\":{\"a\":null,\"product\":{\"id\":\"p1\"}},\"errors\":[{\"message\":\"x\"}]}";
        String operation = "{ a { ... on Node { field } } product { id } }";
        assertThat(explain(supergraph, operation, failed, reference, reference))
                .contains(KnownDifferences.FIELD_OF_AN_INTERFACE_WITHOUT_IMPLEMENTATIONS);
        // a planning failure on a type that has implementations (Product) is a planner bug
        assertThat(explain(supergraph, operation, failed.replace("Node.field", "Product.id"), reference, reference)).isEmpty();
        // any other error, or data beside the error
        assertThat(explain(supergraph, operation, failed.replace("QUERY_PLANNING_FAILED", "SUBGRAPH_ERROR"), reference, reference)).isEmpty();
        assertThat(explain(supergraph, operation, "{\"data\":{\"a\":null,\"product\":null},\"errors\":[{\"message\":\"the operation cannot"
                + " be planned: cannot plan Node.field from subgraph a\",\"extensions\":{\"code\":\"QUERY_PLANNING_FAILED\"}}]}", reference, reference))
                .isEmpty();
        // corrupted-supergraph-node-id's failure (a planner bug, fixed): Account has implementations
        String corrupted = "{\"errors\":[{\"message\":\"the operation cannot be planned: cannot plan Account.username from subgraph b: no"
                + " subgraph that resolves it has a key that b can provide\",\"extensions\":{\"code\":\"QUERY_PLANNING_FAILED\"}}]}";
        assertThat(explain(supergraph, operation, corrupted, reference, reference)).isEmpty();
    }

    /** simple-interface-object, seed 24: isActive is Admin's own in a and the Account @interfaceObject's in c, both @shareable. */
    @Test
    void aShareableFieldItsSubgraphsAnswerDifferently() throws Exception {
        Supergraph supergraph = composed(Map.of(
                "a", "interface Account @key(fields: \"id\") { id: ID! }\n"
                        + "type Admin implements Account @key(fields: \"id\") { id: ID! isMain: Boolean! isActive: Boolean! @shareable }\n"
                        + "type Regular implements Account @key(fields: \"id\") { id: ID! isMain: Boolean! }\ntype Query { a: Int }",
                "b", "type Account @key(fields: \"id\") @interfaceObject { id: ID! name: String! }\ntype Query { accounts: [Account] @shareable }",
                "c", "type Account @key(fields: \"id\") @interfaceObject { id: ID! isActive: Boolean! @shareable }"));
        String operation = "{ accounts { ...F1 isActive } } fragment F1 on Admin { isActive }";
        String vestibule = "{\"data\":{\"accounts\":[{\"isActive\":true},{\"isActive\":false}]}}";
        String references = "{\"data\":{\"accounts\":[{\"isActive\":false},{\"isActive\":false}]}}";
        assertThat(explain(supergraph, operation, vestibule, references, references)).contains(KnownDifferences.SHAREABLE_FIELD_ANSWERED_DIFFERENTLY);
        // a field only one subgraph resolves, a null against a value, another shape, or errors: not this class
        assertThat(explain(supergraph, "{ accounts { ... on Admin { isMain } } }", "{\"data\":{\"accounts\":[{\"isMain\":true},{}]}}",
                "{\"data\":{\"accounts\":[{\"isMain\":false},{}]}}", "{\"data\":{\"accounts\":[{\"isMain\":false},{}]}}")).isEmpty();
        assertThat(explain(supergraph, operation, "{\"data\":{\"accounts\":[{\"isActive\":null},{\"isActive\":false}]}}",
                references, references)).isEmpty();
        assertThat(explain(supergraph, operation, "{\"data\":{\"accounts\":[{\"isActive\":true}]}}", references, references)).isEmpty();
        assertThat(explain(supergraph, operation, "{\"data\":{\"accounts\":[{\"isActive\":true},{\"isActive\":false}]},\"errors\":[{\"message\":\"x\"}]}",
                references, references)).isEmpty();
        // the key field, though every subgraph resolves it, is not this class
        assertThat(explain(supergraph, "{ accounts { id } }", "{\"data\":{\"accounts\":[{\"id\":\"1\"}]}}",
                "{\"data\":{\"accounts\":[{\"id\":\"2\"}]}}", "{\"data\":{\"accounts\":[{\"id\":\"2\"}]}}")).isEmpty();
    }

    /** non-resolvable-interface-object, seed 52: product's concrete type (Bread) lost by both references, a's error shared. */
    @Test
    void anInterfaceObjectsConcreteTypeTheReferencesLose() throws Exception {
        Supergraph supergraph = composed(Map.of(
                "a", "type Query { product: Product! a: Thing } type Product @key(fields: \"id\") @interfaceObject { id: ID! }"
                        + " type Thing { id: ID! }",
                "b", "interface Product @key(fields: \"id\") { id: ID! } type Bread implements Product @key(fields: \"id\") { id: ID! }"));
        String operation = "query Q { product { ... on Bread { __typename } } a { id } product { __typename } }";
        String shared = "{\"message\":\"Abstract type \\\"Node\\\" was resolved to a non-object type \\\"Node\\\".\",\"path\":[\"a\"],"
                + "\"extensions\":{\"code\":\"DOWNSTREAM_SERVICE_ERROR\",\"serviceName\":\"a\"}}";
        String vestibule = "{\"errors\":[" + shared.replace("DOWNSTREAM_SERVICE_ERROR", "SUBGRAPH_ERROR") + "],"
                + "\"data\":{\"product\":{\"__typename\":\"Bread\"},\"a\":null}}";
        String apollo = "{\"errors\":[" + shared + "],\"data\":null}";
        String lost = "{\"message\":\"Abstract type \\\"Product\\\" was resolved to a non-object type \\\"Product\\\".\",\"path\":[\"product\"]}";
        String hive = "{\"errors\":[" + shared + "," + lost + "],\"data\":null}";
        assertThat(explain(supergraph, operation, vestibule, apollo, hive)).contains(KnownDifferences.INTERFACE_OBJECT_TYPE_THE_REFERENCES_LOSE);
        // no reference losing the type, a lost type named by a subgraph, or a type that is no @interfaceObject: not this class
        assertThat(explain(supergraph, operation, vestibule, apollo, apollo)).isEmpty();
        assertThat(explain(supergraph, operation, vestibule, apollo,
                hive.replace("\"path\":[\"product\"]}", "\"path\":[\"product\"],\"extensions\":{\"serviceName\":\"b\"}}"))).isEmpty();
        assertThat(explain(supergraph, operation, vestibule, apollo, hive.replace("\\\"Product\\\"", "\\\"Thing\\\""))).isEmpty();
        // an error of a reference's that Vestibule does not share
        assertThat(explain(supergraph, operation, vestibule, apollo.replace("[\"a\"]", "[\"b\"]"), hive)).isEmpty();
    }

    /** parent-entity-call-complex, seed 58: a category whose only field a false @include skips. */
    @Test
    void anObjectWhoseFieldsConditionsAllSkipIsNullInTheReferences() throws Exception {
        String operation = "query Q($v3: Boolean = false, $v4: Boolean = false) { productFromD(id: \"3\") { category @skip(if: $v3) { id @include(if: $v4) } } }";
        String vestibule = "{\"data\":{\"productFromD\":{\"category\":{}}}}";
        String references = "{\"data\":{\"productFromD\":{\"category\":null}}}";
        assertThat(explain(null, operation, vestibule, references, references)).contains(KnownDifferences.EMPTIED_OBJECT_THE_REFERENCES_ANSWER_NULL);
        // Vestibule's object not empty, an error on either side: not this class
        assertThat(explain(null, operation, vestibule.replace("{}", "{\"id\":\"c3\"}"), references, references)).isEmpty();
        assertThat(explain(null, operation, withAnError(vestibule), references, references)).isEmpty();
        String withError = withAnError(references);
        assertThat(explain(null, operation, vestibule, withError, withError)).isEmpty();
    }

    private static String withAnError(String response) {
        return response.substring(0, response.length() - 1) + ",\"errors\":[{\"message\":\"x\"}]}";
    }
}
