package dev.vestibule.router.telemetry;

import dev.vestibule.router.http.GraphQLRequestObserver;
import java.util.LinkedHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Telemetry of each request on /graphql, told by the GraphQL handler itself: as it takes a request, its
 * {@link RequestTelemetry} (server span or unsampled trace context, active-request count), which the handler hands to
 * the edge filters ({@link ObservedFilter}) and the engine's observer ({@link TelemetryObserver}) with the request;
 * when the handler returns, the answer's status and sizes are known and the request ends (metrics, span, access log
 * line). Installed only when telemetry is on.
 *
 * <p>Neither a thread-local (each request runs on a virtual thread of its own, whose first thread-local creates the
 * thread's map only to drop it with the thread) nor a handler around the route (a request wrapper to carry the record,
 * and one more dispatch level on every request).
 */
final class HttpTelemetry implements GraphQLRequestObserver {
    private final Telemetry telemetry;

    HttpTelemetry(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public Object begin(Request request) {
        return telemetry.begin(request);
    }

    @Override
    public void end(Object observation, Request request, Response response, Throwable failure) {
        RequestTelemetry rt = (RequestTelemetry) observation;
        rt.durationNanos = System.nanoTime() - rt.startNanos;
        rt.status = failure != null ? 500 : response.getStatus();
        rt.requestBytes = request.getLength();
        // the bytes the handler wrote (a counter), not a scan of the answer's headers for its Content-Length
        long written = Response.getContentBytesWritten(response);
        rt.responseBytes = written > 0 ? written : response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (telemetry.accessLog() != null) {
            rt.requestId = response.getHeaders().get("x-request-id");
            if (telemetry.logsClientIp()) rt.clientIp = Request.getRemoteAddr(request);
            if (telemetry.logsUserAgent()) rt.userAgent = request.getHeaders().get(HttpHeader.USER_AGENT);
            if (!telemetry.loggedHeaders().isEmpty()) {
                rt.headers = new LinkedHashMap<>();
                for (String name : telemetry.loggedHeaders()) {
                    HttpField field = request.getHeaders().getField(name);
                    if (field != null) rt.headers.put(name, field.getValue());
                }
            }
        }
        telemetry.end(rt);
    }
}
