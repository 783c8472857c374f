package dev.vestibule.router.operation;

import java.util.List;
import java.util.Map;

/**
 * A request that is rejected before any subgraph sees it: malformed, invalid, or with bad variables. Carries the
 * GraphQL errors for the response and the HTTP status the GraphQL-over-HTTP spec gives it.
 */
public final class RequestError extends RuntimeException {
    private final int status;
    private final List<Map<String, Object>> errors;

    public RequestError(int status, List<Map<String, Object>> errors) {
        super(errors.isEmpty() ? "bad request" : String.valueOf(GraphQLErrors.message(errors.get(0))), null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static RequestError of(int status, String message, String code) {
        return new RequestError(status, List.of(GraphQLErrors.error(message, code)));
    }

    public int status() { return status; }

    public List<Map<String, Object>> errors() { return errors; }
}
