package dev.vestibule.router.bff;

import dev.vestibule.router.Gateway;
import dev.vestibule.router.json.JsonReader;
import dev.vestibule.router.middleware.Cohorts;
import dev.vestibule.router.middleware.EdgeRequest;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a BFF route's operation runs, once the route's code made its variables and the edge filters passed the request:
 * in the router's process through the engine's entry point ({@link #inProcess}: no HTTP hop, no re-parsing, the
 * document and plan caches), or from a standalone BFF over HTTP to a router by persisted-operation id
 * ({@link RouterClient}). The route code, policies and shaping ({@link BffService}) are the same either way.
 */
public interface OperationExecutor {

    /**
     * Runs the operation and returns the GraphQL answer's JSON object ({@code data}, {@code errors}).
     *
     * @param client        the module's client name (the client-name header over HTTP)
     * @param operation     the module's generated operation (its persisted id, name and document)
     * @param request       its document, operation name and variables
     * @param edge          the request as the edge filters left it: the caller, the headers each subgraph receives,
     *                      the caller's Authorization
     * @param deadlineNanos when the answer is due ({@link System#nanoTime()})
     * @throws RequestError when the operation was refused before it ran (invalid values; a router that does not know it)
     * @throws Refused      when a router over HTTP refused the caller (authentication, scopes, rate limits)
     */
    Map<String, Object> execute(String client, BffOperation<?, ?> operation, GraphQLRequest request, EdgeRequest edge,
                                long deadlineNanos);

    /** In the router's process: {@link Gateway#execute} on whatever gateway {@code gateway} gives now (hot reload swaps it). */
    static OperationExecutor inProcess(Supplier<? extends Gateway> gateway) {
        return (client, operation, request, edge, deadlineNanos) -> {
            // sticky by the verified subject in the traffic splits (the callers section's headers are the GraphQL route's)
            byte[] answer = gateway.get().execute(request, new RequestContext(edge.caller(), edge.subgraphHeaders()::apply, Map.of(),
                    deadlineNanos, false, Cohorts.of(edge, TrafficShaping.Callers.DEFAULTS))).toArray();
            try {
                return JsonReader.readObject(answer);
            } catch (IOException e) {
                throw new UncheckedIOException("the engine's answer is not a JSON object", e);
            }
        };
    }

    /** A router over HTTP refused the caller; the BFF answers with the same status, code and headers. */
    final class Refused extends RuntimeException {
        private final int status;
        private final String code;
        private final Map<String, String> headers;

        public Refused(int status, String code, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.headers = Map.copyOf(headers);
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        /** The router's answer headers the client needs (WWW-Authenticate, Retry-After, RateLimit-*). */
        public Map<String, String> headers() {
            return headers;
        }
    }
}
