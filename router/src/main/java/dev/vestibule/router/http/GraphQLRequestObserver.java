package dev.vestibule.router.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Watches each request on /graphql from the moment the GraphQL handler takes it to its answer (telemetry, when on:
 * the server span, HTTP metrics, the access log line). Called by the handler itself rather than from a handler
 * wrapped around it, so that what it keeps of the request goes along with the request ({@code EdgeRequest.observation},
 * {@code RequestContext.observation}) without a thread-local, a request wrapper or an attribute map.
 */
public interface GraphQLRequestObserver {
    /** A request on /graphql begins; what this returns is its observation, handed to the edge filters and the engine. */
    Object begin(Request request);

    /** The request has been answered (its status and sizes are known), or failed with {@code failure} (else null). */
    void end(Object observation, Request request, Response response, Throwable failure);
}
