package dev.vestibule.router.bff;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.middleware.Identity;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a route's code sees of one request: the path's parameters (by the names of the route's template), the query
 * parameters, the JSON body, and who asks (null when anonymous). A value that cannot become the operation's
 * variables is the client's mistake: throw {@link BadRequest} with a message the client can act on.
 */
public final class BffRequest {
    private static final ObjectMapper JSON = BffBodies.MAPPER;

    private final String method;
    private final String path;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> queryParameters;
    private final byte[] body;
    private final Identity identity;
    private final Function<String, String> headers;

    BffRequest(String method, String path, Map<String, String> pathParameters, Map<String, List<String>> queryParameters,
               byte[] body, Identity identity, Function<String, String> headers) {
        this.method = method;
        this.path = path;
        this.pathParameters = pathParameters;
        this.queryParameters = queryParameters;
        this.body = body;
        this.identity = identity;
        this.headers = headers;
    }

    public String method() {
        return method;
    }

    /** The request's path, as sent (not the template). */
    public String path() {
        return path;
    }

    /** A parameter of the path template ({@code {upc}}); every one of the template's is present. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) throw new IllegalArgumentException("the route's path has no parameter {" + name + "}");
        return value;
    }

    /** A query parameter's first value; null when absent. */
    public String query(String name) {
        List<String> values = queryParameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A query parameter as an int between {@code min} and {@code max}; {@code otherwise} when absent. */
    public int queryInt(String name, int otherwise, int min, int max) {
        String value = query(name);
        if (value == null || value.isEmpty()) return otherwise;
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest("the query parameter '" + name + "' must be a whole number");
        }
        if (number < min || number > max) {
            throw new BadRequest("the query parameter '" + name + "' must be between " + min + " and " + max);
        }
        return number;
    }

    /** A request header (any case); null when absent. */
    public String header(String name) {
        return headers.apply(name);
    }

    /** Who asks; null when anonymous. */
    public Identity identity() {
        return identity;
    }

    /** The JSON body read as {@code type} (a record); a missing or malformed body is the client's mistake. */
    public <T> T body(Class<T> type) {
        if (body == null || body.length == 0) throw new BadRequest("the request needs a JSON body");
        try {
            T value = JSON.readValue(body, type);
            if (value == null) throw new BadRequest("the request body must be a JSON object");
            return value;
        } catch (JsonMappingException e) {
            // named by the field's path alone: the parser's own text names the server's classes
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new BadRequest(field.isEmpty() ? "the request body is not the JSON object this route takes"
                    : "the request body's field '" + field + "' is missing, unknown or of the wrong type");
        } catch (IOException e) {
            throw new BadRequest("the request body is not valid JSON");
        }
    }

    /** What the client asked for does not exist (the operation answered null for it): answered 404 with the message. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message, null, false, false);
        }
    }

    /** The client's mistake, with a message that says what to send instead: answered 400 with that message. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
