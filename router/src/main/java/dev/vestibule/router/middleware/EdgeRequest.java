package dev.vestibule.router.middleware;

import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import java.util.Map;
import java.util.function.Function;

/**
 * A request at the edge, as the {@link EdgeFilter}s see it, whatever route it came on (/graphql, the BFF routes):
 * the HTTP side (method, path, headers, remote address, response headers) from the server, and what the filters
 * learn as they run: the caller's identity, the GraphQL request (once parsed; persisted operations may replace it
 * by its full text), the headers each subgraph receives. One per request; the HTTP layer's own request object
 * extends it, so passing the chain allocates nothing more.
 */
public abstract class EdgeRequest {
    private Identity identity;
    private Map<String, String> identityHeaders = Map.of();
    private Caller caller = Caller.ANONYMOUS;
    private GraphQLRequest operation;
    private Function<String, Map<String, String>> subgraphHeaders;
    private Object observation;

    public abstract String method();

    public abstract String path();

    /** The socket's remote address (a trusted proxy's, when there is one in front). */
    public abstract String remoteAddress();

    /** A request header by name (any case), its first value; null when absent. */
    public abstract String header(String name);

    /** The request's headers by lower-case name, the first value of a repeated one. */
    public abstract Map<String, String> headers();

    /** Sets a header of the response, whatever the answer is (CORS, RateLimit-*). */
    public abstract void responseHeader(String name, String value);

    /** Who the request is; null while unknown or anonymous. */
    public Identity identity() {
        return identity;
    }

    /** The headers the verified identity puts on every subgraph request (forward_claims); empty when anonymous. */
    public Map<String, String> identityHeaders() {
        return identityHeaders;
    }

    /** The caller the operation runs as, for @authenticated, @requiresScopes and @policy; anonymous until identified. */
    public Caller caller() {
        return caller;
    }

    /** Records who the request is (authentication). */
    public void identify(Identity identity, Map<String, String> identityHeaders, Caller caller) {
        this.identity = identity;
        this.identityHeaders = identityHeaders;
        this.caller = caller;
    }

    /** The GraphQL request; null before it is parsed. */
    public GraphQLRequest operation() {
        return operation;
    }

    public void operation(GraphQLRequest operation) {
        this.operation = operation;
    }

    /** What each subgraph receives, by subgraph name: the identity's headers unless the header rules said more. */
    public Function<String, Map<String, String>> subgraphHeaders() {
        if (subgraphHeaders == null) {
            Map<String, String> identity = identityHeaders;
            subgraphHeaders = subgraph -> identity;
        }
        return subgraphHeaders;
    }

    public void subgraphHeaders(Function<String, Map<String, String>> headers) {
        this.subgraphHeaders = headers;
    }

    /**
     * What the server's observers keep of this request (telemetry's record of it), handed to them with the request
     * rather than through a thread-local: opaque to the filters and the engine; null when nothing observes it.
     */
    public Object observation() {
        return observation;
    }

    public void observation(Object observation) {
        this.observation = observation;
    }
}
