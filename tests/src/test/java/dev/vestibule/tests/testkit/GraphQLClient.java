package dev.vestibule.tests.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GraphQL over HTTP to a router on 127.0.0.1, as a client sends it: POST with a JSON body, GET with the query string,
 * answers read as text (tests assert status, headers and body) or as JSON. One shared JDK client per kind: the tests
 * open thousands of requests, and a client per test class used to hold its own connection pool and selector thread.
 */
public final class GraphQLClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    /** The JDK's default (it may offer h2c; Jetty answers in HTTP/1.1). */
    private static final HttpClient DEFAULT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** HTTP/1.1: one connection per request in flight, as most clients behind a load balancer arrive. */
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Generous: a busy shared machine can be slow, and a test that hangs is found by this bound, not by its speed. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String origin;
    private final HttpClient http;

    private GraphQLClient(String origin, HttpClient http) {
        this.origin = origin;
        this.http = http;
    }

    /** To the router listening on {@code port} of 127.0.0.1. */
    public static GraphQLClient to(int port) {
        return new GraphQLClient("http://127.0.0.1:" + port, DEFAULT);
    }

    /** The same router, over HTTP/1.1 only. */
    public GraphQLClient http11() {
        return new GraphQLClient(origin, HTTP_1_1);
    }

    /** The GraphQL endpoint's URL. */
    public String url() {
        return origin + "/graphql";
    }

    /** The URL of another path of the router (/health, /ready). */
    public String url(String path) {
        return origin + path;
    }

    /** POSTs {"query"} and returns its answer's JSON, failing unless the status is 200. */
    public JsonNode query(String query) throws IOException, InterruptedException {
        return query(query, Map.of());
    }

    /** POSTs {"query", "variables"} with {@code headers} (name, value, ...); the answer's JSON, failing unless 200. */
    public JsonNode query(String query, Map<String, Object> variables, String... headers) throws IOException, InterruptedException {
        return json(post(query, null, variables, "application/json", headers));
    }

    /** An answer's body as JSON, failing unless its status is 200. */
    public static JsonNode json(HttpResponse<String> response) throws JsonProcessingException {
        if (response.statusCode() != 200) throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /** POSTs a GraphQL request (null parts left out) with the Accept header given (null: none) and {@code headers}. */
    public HttpResponse<String> post(String query, String operationName, Map<String, Object> variables, String accept,
                                     String... headers) throws IOException, InterruptedException {
        return postRaw(body(query, operationName, variables), accept, headers);
    }

    /** A GraphQL request's JSON body (null parts left out). */
    public static String body(String query, String operationName, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (operationName != null) body.put("operationName", operationName);
        if (variables != null) body.put("variables", variables);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs {@code body} as application/json with the Accept header given (null: none) and {@code headers}. */
    public HttpResponse<String> postRaw(String body, String accept, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request("").header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) request.header("accept", accept);
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    /** POSTs {@code body} with the content type given (the tests of media types send others than JSON). */
    public HttpResponse<String> postTyped(String contentType, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request("").header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    /**
     * GETs {@code /graphql?queryString}. GET is a "simple" request: CSRF prevention wants a preflight-forcing header,
     * which this sends, as a real client does.
     */
    public HttpResponse<String> get(String queryString, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request("?" + queryString).header("apollo-require-preflight", "true").GET();
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    /** GETs another path of the router (/health, /ready, a BFF route) with {@code headers} (name, value, ...). */
    public HttpResponse<String> getPath(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT).GET();
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    /** POSTs {@code body} as application/json to another path of the router (a BFF route) with {@code headers}. */
    public HttpResponse<String> postPath(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    /** A request to the GraphQL endpoint with {@code suffix} (a query string, or "") and the timeout set, to finish. */
    public HttpRequest.Builder request(String suffix) {
        return HttpRequest.newBuilder(URI.create(url() + suffix)).timeout(TIMEOUT);
    }

    /** Sends a request built by the test; the answer as text. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
