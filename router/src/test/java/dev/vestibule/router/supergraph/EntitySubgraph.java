package dev.vestibule.router.supergraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * One subgraph of the generated big supergraphs ({@code BigSupergraphs}) as a real GraphQL server over HTTP on a
 * free port of 127.0.0.1: its own SDL, executed by graphql-java; each {@code entityN(id:)} root field answers an
 * entity made from the id (its name "EN id", its score the id's number, its next entity's id "id-next"), so a
 * router's answer can only come from here.
 */
final class EntitySubgraph implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    private EntitySubgraph(HttpServer server) {
        this.server = server;
    }

    /** The answer the router gives to {@code { entityN(id: "ID") { id name score next { id } } }} served by this subgraph. */
    static String entityAnswer(int entity, String id) {
        return "{\"data\":{\"entity" + entity + "\":{\"id\":\"" + id + "\",\"name\":\"E" + entity + " " + id + "\",\"score\":" + id
                + ",\"next\":{\"id\":\"" + id + "-next\"}}}}";
    }

    static EntitySubgraph serve(String subgraphSdl) throws IOException {
        String schema = """
                directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
                directive @shareable repeatable on OBJECT | FIELD_DEFINITION
                """ + subgraphSdl.substring(subgraphSdl.indexOf('\n')); // without its "extend schema @link": not for graphql-java
        var registry = new SchemaParser().parse(schema);
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        wiring.type("Query", type -> {
            ((ObjectTypeDefinition) registry.getType("Query").orElseThrow()).getFieldDefinitions().forEach(field -> {
                if (field.getName().startsWith("entity")) {
                    String entity = "E" + field.getName().substring("entity".length());
                    DataFetcher<Map<String, Object>> fetcher = env -> {
                        String id = env.getArgument("id");
                        return Map.of("id", id, "name", entity + " " + id, "score", Integer.parseInt(id), "next", Map.of("id", id + "-next"));
                    };
                    type.dataFetcher(field.getName(), fetcher);
                }
            });
            return type;
        });
        GraphQL graphql = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(registry, wiring.build())).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/graphql", exchange -> {
            try (exchange) {
                Map<?, ?> request = JSON.readValue(exchange.getRequestBody(), Map.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> variables = request.get("variables") instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
                ExecutionInput input = ExecutionInput.newExecutionInput().query((String) request.get("query")).variables(variables)
                        .operationName((String) request.get("operationName")).build();
                byte[] body = JSON.writeValueAsBytes(graphql.execute(input).toSpecification());
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return new EntitySubgraph(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
