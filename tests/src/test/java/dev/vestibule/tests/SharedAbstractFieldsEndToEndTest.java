package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.apollographql.federation.graphqljava.Federation;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.RequestLog;
import dev.vestibule.samples.server.SubgraphServer;
import dev.vestibule.tests.testkit.GraphQLClient;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Abstract types under fields that two subgraphs share, over HTTP against two small federation-jvm subgraphs (the
 * SDL of the plan snapshots partial-union-* and shared-node-root-per-fragment). north and south both resolve
 * {@code Shelf.display.items}, a union with other members in each; both resolve {@code node(id:)}, each with the
 * other's id @external and answering the garbage id "never" for it. The subgraphs' data is honest otherwise, so a
 * wrong choice shows in the answer.
 */
class SharedAbstractFieldsEndToEndTest {
    private static final Path SDL = Path.of("..", "router", "src", "test", "resources", "subgraphs", "shared-abstract");
    private static final Map<String, Object> POSTER = Map.of("__typename", "Poster", "caption", "sunrise");
    private static final Map<String, Object> LAMP = Map.of("__typename", "Lamp", "watts", 60);
    private static final Map<String, Object> RUG = Map.of("__typename", "Rug", "color", "red");

    private static SubgraphServer north;
    private static SubgraphServer south;
    private static Router router;
    private static RouterServer server;

    @BeforeAll
    static void start() throws Exception {
        north = SubgraphServer.start("north", subgraph(Files.readString(SDL.resolve("north.graphql")), Map.of(
                "northShelf", env -> shelf(List.of(POSTER, LAMP)),
                "node", env -> switch (env.<String>getArgument("id")) {
                    case "a1" -> Map.of("__typename", "Author", "id", "a1", "pen", "quill");
                    case "n1" -> Map.of("__typename", "Note", "id", "never");
                    default -> null;
                }), representation -> switch (String.valueOf(representation.get("__typename"))) {
                    case "Shelf" -> shelf(List.of(POSTER, LAMP));
                    case "Author" -> Map.of("__typename", "Author", "id", representation.get("id"), "pen", "quill");
                    default -> null;
                }), "127.0.0.1", 0, FaultSettings.NONE);
        south = SubgraphServer.start("south", subgraph(Files.readString(SDL.resolve("south.graphql")), Map.of(
                "southShelf", env -> shelf(List.of(POSTER, RUG)),
                "node", env -> switch (env.<String>getArgument("id")) {
                    case "a1" -> Map.of("__typename", "Author", "id", "never", "notes", List.of());
                    case "n1" -> Map.of("__typename", "Note", "id", "n1", "text", "buy milk");
                    default -> null;
                }), representation -> switch (String.valueOf(representation.get("__typename"))) {
                    case "Shelf" -> shelf(List.of(POSTER, RUG));
                    case "Note" -> Map.of("__typename", "Note", "id", representation.get("id"), "text", "buy milk");
                    default -> null;
                }), "127.0.0.1", 0, FaultSettings.NONE);
        CompositionResult composed = Composer.compose(List.of(
                new SubgraphSource("north", north.url(), Files.readString(SDL.resolve("north.graphql")), "north.graphql"),
                new SubgraphSource("south", south.url(), Files.readString(SDL.resolve("south.graphql")), "south.graphql")));
        assertThat(composed).isInstanceOf(CompositionResult.Composed.class);
        router = new Router(SupergraphLoader.load(((CompositionResult.Composed) composed).supergraphSdl()), RouterSettings.DEFAULTS);
        server = RouterServer.start(router, RouterSettings.DEFAULTS, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (router != null) router.close();
        if (north != null) north.close();
        if (south != null) south.close();
    }

    @BeforeEach
    void clearLogs() {
        north.requestLog().clear();
        south.requestLog().clear();
    }

    @Test
    void aUnionUnderAPathBothSubgraphsServeAsksOnlyForTheMembersBothKnow() throws Exception {
        JsonNode answer = query("{ northShelf { display { items { __typename ... on Poster { caption } ... on Lamp { watts } ... on Rug { color } } } } }");
        assertThat(answer.toString()).isEqualTo("""
                {"data":{"northShelf":{"display":{"items":[{"__typename":"Poster","caption":"sunrise"},\
                {"__typename":"Lamp","watts":null}]}}}}""");
        assertThat(queries(north)).singleElement().asString().doesNotContain("Lamp").doesNotContain("Rug");
        assertThat(queries(south)).isEmpty();
    }

    @Test
    void aUnionReachedThroughAFieldOnlyOneSubgraphHasGetsThatSubgraphsMembers() throws Exception {
        JsonNode answer = query("{ northShelf { southDisplay { items { __typename ... on Poster { caption } ... on Lamp { watts } ... on Rug { color } } } } }");
        assertThat(answer.toString()).isEqualTo("""
                {"data":{"northShelf":{"southDisplay":{"items":[{"__typename":"Poster","caption":"sunrise"},\
                {"__typename":"Rug","color":"red"}]}}}}""");
        assertThat(south.requestLog().entitiesCalls()).hasSize(1);
    }

    @Test
    void eachSharedNodeFieldGoesToTheSubgraphThatOwnsWhatItSelects() throws Exception {
        JsonNode answer = query("{ author: node(id: \"a1\") { ... on Author { id pen } } note: node(id: \"n1\") { ... on Note { id text } } }");
        assertThat(answer.toString()).isEqualTo("""
                {"data":{"author":{"id":"a1","pen":"quill"},"note":{"id":"n1","text":"buy milk"}}}""");
        assertThat(queries(north)).singleElement().asString().contains("author: node");
        assertThat(queries(south)).singleElement().asString().contains("note: node");
    }

    @Test
    void fragmentsThatNeverMatchStillGoWhereTheirFieldsAreTrustworthy() throws Exception {
        JsonNode answer = query("{ author: node(id: \"a1\") { __typename ... on Note { id } } note: node(id: \"n1\") { __typename ... on Author { id } } }");
        assertThat(answer.toString()).isEqualTo("""
                {"data":{"author":{"__typename":"Author"},"note":{"__typename":"Note"}}}""");
        assertThat(queries(south)).singleElement().asString().contains("author: node");
        assertThat(queries(north)).singleElement().asString().contains("note: node");
    }

    @Test
    void anIdNoSubgraphCanBeTrustedForIsAPlanningErrorNotAGarbageValue() throws Exception {
        JsonNode answer = query("{ node(id: \"a1\") { id } }");
        assertThat(answer.path("data").isMissingNode() || answer.path("data").isNull()).as(answer.toString()).isTrue();
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("QUERY_PLANNING_FAILED");
        assertThat(north.requestLog().totalCount() + south.requestLog().totalCount()).isZero();
    }

    private static List<String> queries(SubgraphServer subgraph) {
        return subgraph.requestLog().entries().stream().map(RequestLog.Entry::query).toList();
    }

    private static Map<String, Object> shelf(List<Map<String, Object>> items) {
        return Map.of("__typename", "Shelf", "id", "s1", "display", Map.of("items", items),
                "southDisplay", Map.of("items", items));
    }

    /** A federation-jvm subgraph over maps: root fields by name, entities by representation, types by __typename. */
    private static GraphQL subgraph(String sdl, Map<String, DataFetcher<?>> rootFields,
                                    Function<Map<String, Object>, Object> entities) {
        TypeResolver byTypename = env -> env.getSchema().getObjectType(String.valueOf(((Map<?, ?>) env.getObject()).get("__typename")));
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetchers(Map.copyOf(rootFields)));
        for (String abstractType : List.of("Item", "Node")) wiring.type(abstractType, type -> type.typeResolver(byTypename));
        return GraphQL.newGraphQL(Federation.transform(sdl, wiring.build())
                .fetchEntities(env -> env.<List<Map<String, Object>>>getArgument("representations").stream().map(entities).toList())
                .resolveEntityType(byTypename)
                .build()).build();
    }

    private static JsonNode query(String query) throws Exception {
        return GraphQLClient.to(server.port()).query(query);
    }
}
