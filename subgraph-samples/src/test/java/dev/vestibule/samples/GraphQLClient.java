package dev.vestibule.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP client for the tests: POST a GraphQL request, read the JSON answer. */
final class GraphQLClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GraphQLClient() {}

    static JsonNode query(String url, String query) throws IOException, InterruptedException {
        return query(url, query, Map.of());
    }

    static JsonNode query(String url, String query, Map<String, Object> variables) throws IOException, InterruptedException {
        HttpResponse<String> response = post(url, query, variables, Duration.ofSeconds(20));
        if (response.statusCode() != 200) throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> post(String url, String query, Map<String, Object> variables, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {"__typename": type, key: value, ...} from alternating key/value arguments. */
    static Map<String, Object> rep(String typename, Object... keyValues) {
        Map<String, Object> representation = new LinkedHashMap<>();
        representation.put("__typename", typename);
        for (int i = 0; i < keyValues.length; i += 2) representation.put((String) keyValues[i], keyValues[i + 1]);
        return representation;
    }
}
