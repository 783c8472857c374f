package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.tests.testkit.GraphQLClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subgraph that answers values its own schema's types cannot represent (a string for an Int, an object for a
 * String, a number for a Boolean, an enum value nobody defined, one the API schema hides), over real sockets: a small
 * subgraph server in front of which the router runs. Every such value is null in the answer, with a field error at its
 * path that names the type and never the value (the spec's result coercion); a hidden enum value is null without an
 * error (docs/security.md); a non-null field's null propagates to its parent with that one error. Values JSON does not
 * tell apart (1.0 for the Int 1) and an integer ID (written as the spec's string) are answered.
 */
class WrongTypedLeafValuesTest {
    private static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
            scalar Json
            type Query {
              item: Item
            }
            type Item {
              count: Int
              price: Float
              name: String
              open: Boolean
              code: ID
              extra: Json
              size: Size
              sizes: [Size]
              required: Int!
              label: String
            }
            enum Size { SMALL LARGE HIDDEN @inaccessible }
            """;

    /** What the subgraph answers next: {@code data.item}'s JSON. */
    private static final AtomicReference<String> ITEM = new AtomicReference<>("{}");
    private static TinyHttpServer subgraph;
    private static Router router;
    private static RouterServer server;
    private static GraphQLClient client;

    @BeforeAll
    static void start() throws Exception {
        subgraph = new TinyHttpServer(new TinyHttpServer.Behaviour.KeepAlive(Duration.ofSeconds(30),
                received -> readTree("{\"data\":{\"item\":" + ITEM.get() + "}}")));
        CompositionResult composed = Composer.compose(List.of(new SubgraphSource("shop", subgraph.url(), SDL, "test")));
        String supergraph = ((CompositionResult.Composed) composed).supergraphSdl();
        router = new Router(SupergraphLoader.load(supergraph), RouterSettings.DEFAULTS);
        server = RouterServer.start(router, RouterSettings.DEFAULTS, EdgePolicy.open(), "127.0.0.1", 0);
        client = GraphQLClient.to(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (router != null) router.close();
        if (subgraph != null) subgraph.close();
    }

    private static JsonNode readTree(String json) {
        try {
            return FederatedGraph.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** The router's answer to {@code selection} on item when the subgraph answers {@code item}. */
    private static JsonNode ask(String selection, String item) throws Exception {
        ITEM.set(item);
        return client.query("{ item { " + selection + " } }");
    }

    /**
     * The field is null with one error at its path naming its type, and the answer does not contain {@code secret}
     * (the part of the value that must not be repeated).
     */
    private static void nulledWithError(String field, String type, String value, String secret) throws Exception {
        JsonNode answer = ask(field + " label", "{\"" + field + "\":" + value + ",\"label\":\"kept\"}");
        String what = field + " = " + value + ": " + answer;
        assertThat(answer.at("/data/item/" + field).isNull()).as(what).isTrue();
        assertThat(answer.at("/data/item/label").asText()).as(what).isEqualTo("kept"); // the rest of the object stays
        assertThat(answer.get("errors")).as(what).hasSize(1);
        JsonNode error = answer.get("errors").get(0);
        assertThat(error.get("path").toString()).as(what).isEqualTo("[\"item\",\"" + field + "\"]");
        assertThat(error.get("message").asText()).as(what).contains(type);
        assertThat(answer.toString()).as(what).doesNotContain(secret);
    }

    @Test
    void aValueOfAnotherJsonTypeIsNullWithAnErrorThatDoesNotRepeatIt() throws Exception {
        nulledWithError("count", "Int", "\"4711\"", "4711");
        nulledWithError("count", "Int", "47.5", "47.5");
        nulledWithError("count", "Int", "3000000000", "3000000000"); // outside 32 bits
        nulledWithError("count", "Int", "true", "true");
        nulledWithError("price", "Float", "\"19.99\"", "19.99");
        nulledWithError("price", "Float", "[1999]", "1999");
        nulledWithError("name", "String", "{\"token\":\"s3cr3t-token\"}", "s3cr3t");
        nulledWithError("name", "String", "4242", "4242");
        nulledWithError("open", "Boolean", "1", ":1");
        nulledWithError("open", "Boolean", "\"yes-open\"", "yes-open");
        nulledWithError("code", "ID", "false", "false");
        nulledWithError("code", "ID", "{\"inner\":\"c0de\"}", "c0de");
        nulledWithError("size", "Size", "\"PURPLE\"", "PURPLE");
        nulledWithError("size", "Size", "7", ":7");
    }

    @Test
    void valuesOfTheRightJsonTypeAreAnswered() throws Exception {
        JsonNode answer = ask("count price name open code extra size", """
                {"count": 12.0, "price": 2, "name": "Lamp", "open": false, "code": 99, "extra": {"any": ["shape", 1]}, "size": "LARGE"}""");
        assertThat(answer.get("errors")).as(answer.toString()).isNull();
        assertThat(answer.get("data").toString()).isEqualTo(
                "{\"item\":{\"count\":12,\"price\":2,\"name\":\"Lamp\",\"open\":false,\"code\":\"99\",\"extra\":{\"any\":[\"shape\",1]},\"size\":\"LARGE\"}}");
    }

    @Test
    void aHiddenEnumValueIsNullWithoutAnErrorAndWithoutItsName() throws Exception {
        JsonNode answer = ask("size sizes label", "{\"size\":\"HIDDEN\",\"sizes\":[\"SMALL\",\"HIDDEN\"],\"label\":\"kept\"}");
        assertThat(answer.get("errors")).as(answer.toString()).isNull();
        assertThat(answer.get("data").toString()).isEqualTo("{\"item\":{\"size\":null,\"sizes\":[\"SMALL\",null],\"label\":\"kept\"}}");
    }

    @Test
    void aNonNullFieldsInvalidValueNullsItsParentWithOneError() throws Exception {
        JsonNode answer = ask("label required", "{\"label\":\"kept\",\"required\":\"lots\"}");
        assertThat(answer.at("/data/item").isNull()).as(answer.toString()).isTrue();
        List<String> paths = new ArrayList<>();
        answer.get("errors").forEach(e -> paths.add(e.get("path").toString()));
        assertThat(paths).as(answer.toString()).containsExactly("[\"item\",\"required\"]");
        assertThat(answer.toString()).doesNotContain("lots");
    }

    @Test
    void invalidItemsOfAListAreNulledOneByOne() throws Exception {
        JsonNode answer = ask("sizes", "{\"sizes\":[\"SMALL\",17,\"LARGE\",\"BOGUS-SIZE\"]}");
        assertThat(answer.at("/data/item/sizes").toString()).isEqualTo("[\"SMALL\",null,\"LARGE\",null]");
        List<String> paths = new ArrayList<>();
        answer.get("errors").forEach(e -> paths.add(e.get("path").toString()));
        assertThat(paths).containsExactly("[\"item\",\"sizes\",1]", "[\"item\",\"sizes\",3]");
        assertThat(answer.toString()).doesNotContain("BOGUS-SIZE");
    }
}
