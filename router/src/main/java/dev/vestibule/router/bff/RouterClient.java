package dev.vestibule.router.bff;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vestibule.router.json.JsonReader;
import dev.vestibule.router.middleware.EdgeRequest;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a standalone BFF's operations on a router over HTTP: {@code POST /graphql} with the operation's persisted id
 * (Apollo's {@code persistedQuery} extension: the sha256 of the module's manifest) and the client-name header, so a
 * router that holds the client to its manifest ({@code persisted_queries.clients}) runs it; a router that only knows
 * automatic persisted queries answers {@code PERSISTED_QUERY_NOT_FOUND} once and gets the document with the id. The
 * caller's Authorization goes along unchanged: the router verifies it and forwards identity by its own rules.
 */
public final class RouterClient implements OperationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RouterClient.class);
    /** The router's answer headers a refused caller needs. */
    private static final List<String> RELAYED = List.of("www-authenticate", "retry-after", "ratelimit", "ratelimit-policy",
            "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset");

    private final URI graphql;
    private final String clientHeader;
    private final HttpClient http;

    /**
     * @param graphql      the router's GraphQL endpoint ({@code http://router:4000/graphql})
     * @param clientHeader the header that names the client ({@code apollographql-client-name})
     */
    public RouterClient(URI graphql, String clientHeader) {
        this.graphql = graphql;
        this.clientHeader = clientHeader;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public Map<String, Object> execute(String client, BffOperation<?, ?> operation, GraphQLRequest request, EdgeRequest edge,
                                       long deadlineNanos) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operationName", operation.name());
        body.put("variables", request.variables());
        body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", operation.id())));
        Answer answer = send(client, body, edge, deadlineNanos);
        if (answer != null && "PERSISTED_QUERY_NOT_FOUND".equals(answer.code())) {
            // a router with automatic persisted queries only: the document once, registered under the same id
            body.put("query", operation.document());
            answer = send(client, body, edge, deadlineNanos);
        }
        if (answer == null) return timeout();
        if (answer.json().get("data") instanceof Map<?, ?>) return answer.json();
        int status = answer.status();
        if (status == 401 || status == 403 || status == 429 || status == 503 && answer.code() != null) {
            throw new Refused(status, answer.code() == null ? "REFUSED" : answer.code(), answer.message(), answer.relayed());
        }
        if (status == 400 || status == 422) {
            // invalid values are the client's (BAD_USER_INPUT); anything else means this router does not serve the module
            throw new RequestError(status, errors(answer));
        }
        if (answer.json().containsKey("errors")) return answer.json(); // errors without data: the route's failure policy
        return failure("ROUTER_ERROR", "the router answered HTTP " + status);
    }

    /** One POST to the router; null when the deadline passed first. */
    private Answer send(String client, Map<String, Object> body, EdgeRequest edge, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) return null;
        HttpRequest.Builder request = HttpRequest.newBuilder(graphql).timeout(Duration.ofNanos(remaining))
                .header("content-type", "application/json").header("accept", "application/json")
                .header(clientHeader, client);
        String authorization = edge.header("authorization");
        if (authorization != null) request.header("authorization", authorization);
        String forwarded = edge.header("x-forwarded-for");
        String address = edge.remoteAddress();
        if (address != null) request.header("x-forwarded-for", forwarded == null ? address : forwarded + ", " + address);
        for (String name : List.of("x-request-id", "traceparent", "tracestate")) {
            String value = edge.header(name);
            if (value != null) request.header(name, value);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(BffBodies.MAPPER.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<String, Object> json;
            try {
                json = JsonReader.readObject(response.body());
            } catch (IOException | RuntimeException notJson) {
                json = failure("ROUTER_ERROR", "the router answered HTTP " + response.statusCode() + " without a GraphQL body");
            }
            Map<String, String> relayed = new LinkedHashMap<>();
            for (String name : RELAYED) response.headers().firstValue(name).ifPresent(value -> relayed.put(name, value));
            return new Answer(response.statusCode(), json, relayed);
        } catch (HttpTimeoutException e) {
            return null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the variables did not serialize", e);
        } catch (IOException e) {
            // the router's address stays in the log: never in a client's answer
            LOG.warn("the router at {} could not be reached: {}", graphql, e.toString());
            return new Answer(502, failure("ROUTER_UNAVAILABLE", "the router could not be reached"), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, failure("ROUTER_UNAVAILABLE", "the BFF is stopping"), Map.of());
        }
    }

    private static Map<String, Object> timeout() {
        return failure("REQUEST_TIMEOUT", "the router did not answer within the route's deadline");
    }

    private static Map<String, Object> failure(String code, String message) {
        return Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Answer answer) {
        if (answer.json().get("errors") instanceof List<?> list && !list.isEmpty()) {
            return list.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList();
        }
        return List.of(Map.of("message", "the router answered HTTP " + answer.status(), "extensions", Map.of("code", "ROUTER_ERROR")));
    }

    /** The router's answer: status, JSON body, the headers to relay. */
    private record Answer(int status, Map<String, Object> json, Map<String, String> relayed) {
        /** The first error's code; null without errors. */
        String code() {
            if (json.get("errors") instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> error
                    && error.get("extensions") instanceof Map<?, ?> extensions && extensions.get("code") != null) {
                return String.valueOf(extensions.get("code"));
            }
            return null;
        }

        String message() {
            if (json.get("errors") instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> error
                    && error.get("message") != null) {
                return String.valueOf(error.get("message"));
            }
            return "the router refused the request (HTTP " + status + ")";
        }
    }
}
