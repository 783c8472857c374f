package dev.vestibule.router.bff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One route of a BFF module: a method and a path template ({@code /mobile/v1/products/{upc}}), the operation it runs,
 * how a request becomes the operation's variables, and how the operation's data becomes the response body (plain
 * records, lists and maps, written as JSON; null components are left out). The shaping is the screen's: rename,
 * flatten, drop; with {@link RoutePolicy.Failure#PARTIAL} it must accept null sections.
 *
 * @param <V> the operation's variables
 * @param <D> the operation's data
 * @param <R> the response body (a record, for the OpenAPI document)
 */
public record BffRoute<V extends Record, D extends Record, R>(String method, String path, String summary,
                                                             BffOperation<V, D> operation,
                                                             Function<BffRequest, V> variables, Class<?> requestType,
                                                             List<QueryParameter> queryParameters,
                                                             Class<R> responseType, Function<D, R> shape,
                                                             RoutePolicy policy) {
    public BffRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(responseType, "responseType");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(policy, "policy");
        queryParameters = List.copyOf(queryParameters);
        if (!method.equals("GET") && !method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH") && !method.equals("DELETE")) {
            throw new IllegalArgumentException("a route's method must be GET, POST, PUT, PATCH or DELETE, not " + method);
        }
        if (!method.equals("GET") && operation.type().equals("query") && policy.cacheControl() != null) {
            throw new IllegalArgumentException(method + " " + path + ": only GET answers can be cached");
        }
    }

    /** A query parameter the route reads, for the OpenAPI document. */
    public record QueryParameter(String name, Class<?> type, boolean required, String description) {}

    public static <V extends Record, D extends Record> Builder<V, D> get(String path, BffOperation<V, D> operation) {
        return new Builder<>("GET", path, operation);
    }

    public static <V extends Record, D extends Record> Builder<V, D> post(String path, BffOperation<V, D> operation) {
        return new Builder<>("POST", path, operation);
    }

    /** The parts of a route, put together one call at a time; {@link #shape} ends it. */
    public static final class Builder<V extends Record, D extends Record> {
        private final String method;
        private final String path;
        private final BffOperation<V, D> operation;
        private String summary = "";
        private Function<BffRequest, V> variables;
        private Class<?> requestType;
        private final ArrayList<QueryParameter> query = new ArrayList<>();
        private RoutePolicy policy = RoutePolicy.DEFAULT;

        private Builder(String method, String path, BffOperation<V, D> operation) {
            this.method = method;
            this.path = path;
            this.operation = operation;
        }

        public Builder<V, D> summary(String text) {
            this.summary = text;
            return this;
        }

        public Builder<V, D> variables(Function<BffRequest, V> variables) {
            this.variables = variables;
            return this;
        }

        /** The JSON body's type (a record), read in {@link #variables} with {@link BffRequest#body}. */
        public Builder<V, D> body(Class<?> type) {
            this.requestType = type;
            return this;
        }

        public Builder<V, D> query(String name, Class<?> type, String description) {
            query.add(new QueryParameter(name, type, false, description));
            return this;
        }

        public Builder<V, D> policy(RoutePolicy policy) {
            this.policy = policy;
            return this;
        }

        @SuppressWarnings("unchecked")
        public <R> BffRoute<V, D, R> shape(Class<R> responseType, Function<D, R> shape) {
            Function<BffRequest, V> vars = variables;
            if (vars == null) {
                // an operation without variables needs no mapping
                vars = request -> (V) BffOperation.NoVariables.INSTANCE;
            }
            return new BffRoute<>(method, path, summary, operation, vars, requestType, query, responseType, shape, policy);
        }
    }
}
