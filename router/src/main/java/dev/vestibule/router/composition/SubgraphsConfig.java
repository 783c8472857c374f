package dev.vestibule.router.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Where the subgraphs to compose come from: a YAML file in Rover's supergraph-config shape
 * <pre>
 * federation_version: =2.7.0          # optional, accepted for Rover compatibility
 * subgraphs:
 *   products:
 *     routing_url: http://127.0.0.1:4002/graphql
 *     schema:
 *       file: products.graphql          # relative to the YAML file
 *   reviews:
 *     routing_url: http://127.0.0.1:4004/graphql
 *     schema:
 *       subgraph_url: http://127.0.0.1:4004/graphql   # fetched with { _service { sdl } }
 * </pre>
 * or {@code NAME=URL[@FILE]} options. Unknown keys are errors, so a typo cannot silently drop a subgraph.
 */
public final class SubgraphsConfig {
    private static final Set<String> TOP_LEVEL = Set.of("federation_version", "subgraphs");
    private static final Set<String> SUBGRAPH_KEYS = Set.of("routing_url", "schema");
    private static final Set<String> SCHEMA_KEYS = Set.of("file", "subgraph_url", "sdl");

    private SubgraphsConfig() {}

    /** A config problem, with the key it concerns. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }

        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static List<SubgraphSource> load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ConfigException(file + ": expected a mapping with a 'subgraphs' key");
        unknownKeys(root, TOP_LEVEL, file + "");
        JsonNode subgraphs = root.get("subgraphs");
        if (subgraphs == null || !subgraphs.isObject() || subgraphs.isEmpty()) {
            throw new ConfigException(file + ": 'subgraphs' must map each subgraph name to its routing_url and schema");
        }
        Path base = file.toAbsolutePath().getParent();
        List<SubgraphSource> sources = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = subgraphs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String where = file + ": subgraphs." + name;
            JsonNode subgraph = entry.getValue();
            if (!subgraph.isObject()) throw new ConfigException(where + ": expected routing_url and schema");
            unknownKeys(subgraph, SUBGRAPH_KEYS, where);
            JsonNode schema = subgraph.get("schema");
            if (schema == null || !schema.isObject()) throw new ConfigException(where + ".schema: required (file, subgraph_url or sdl)");
            unknownKeys(schema, SCHEMA_KEYS, where + ".schema");
            String routingUrl = text(subgraph, "routing_url");
            if (schema.has("file")) {
                Path schemaFile = base.resolve(text(schema, "file"));
                if (routingUrl == null) throw new ConfigException(where + ".routing_url: required with schema.file");
                sources.add(new SubgraphSource(name, routingUrl, read(schemaFile, where + ".schema.file"), schemaFile.toString()));
            } else if (schema.has("subgraph_url")) {
                String url = text(schema, "subgraph_url");
                sources.add(new SubgraphSource(name, routingUrl == null ? url : routingUrl, fetchSdl(url), url));
            } else if (schema.has("sdl")) {
                if (routingUrl == null) throw new ConfigException(where + ".routing_url: required with schema.sdl");
                sources.add(new SubgraphSource(name, routingUrl, text(schema, "sdl"), where));
            } else {
                throw new ConfigException(where + ".schema: give one of file, subgraph_url or sdl");
            }
        }
        return sources;
    }

    /** {@code NAME=URL} (the SDL is fetched from URL) or {@code NAME=URL@FILE}. */
    public static SubgraphSource parseOption(String option) {
        int equals = option.indexOf('=');
        if (equals <= 0) throw new ConfigException("--subgraph " + option + ": expected NAME=URL or NAME=URL@FILE");
        String name = option.substring(0, equals);
        String rest = option.substring(equals + 1);
        int at = rest.lastIndexOf('@');
        if (at > 0 && !rest.substring(at + 1).contains("/") || at > 0 && Files.exists(Path.of(rest.substring(at + 1)))) {
            Path file = Path.of(rest.substring(at + 1));
            return new SubgraphSource(name, rest.substring(0, at), read(file, "--subgraph " + name), file.toString());
        }
        return new SubgraphSource(name, rest, fetchSdl(rest), rest);
    }

    private static String read(Path file, String where) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Asks a running subgraph for its schema, the way every federation tool does. */
    public static String fetchSdl(String url) {
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create("{\"query\":\"{ _service { sdl } }\"}", MediaType.get("application/json"))).build();
        try (Response response = client.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) throw new ConfigException(url + ": _service { sdl } answered HTTP " + response.code());
            JsonNode sdl = new ObjectMapper().readTree(body).path("data").path("_service").path("sdl");
            if (!sdl.isTextual()) throw new ConfigException(url + ": the answer to _service { sdl } has no data._service.sdl (is it a federation subgraph?)");
            return sdl.asText();
        } catch (IOException e) {
            throw new ConfigException(url + ": cannot fetch the schema with _service { sdl }: " + e.getMessage(), e);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) throw new ConfigException(where + ": unknown key '" + key + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
