package dev.vestibule.router.telemetry;

import java.util.LinkedHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Telemetry around the GraphQL route, as a Jetty handler in front of it: a request on /graphql gets its
 * {@link RequestTelemetry} (server span or unsampled trace context, active-request count), attached to the request
 * the handler behind sees ({@link Telemetry#REQUEST_ATTRIBUTE}), from where the edge filters ({@link ObservedFilter})
 * and the engine's observer ({@link TelemetryObserver}) get it with the request; when the handler returns, the
 * answer's status and sizes are known and the request ends (metrics, span, access log line). Other paths pass
 * untouched. Installed only when telemetry is on.
 *
 * <p>Not a thread-local: each request runs on a virtual thread of its own, whose first thread-local creates the
 * thread's map (an array of 16 entries) only to be dropped with the thread.
 */
final class HttpTelemetry extends Handler.Wrapper {
    private final Telemetry telemetry;
    private final String path;

    HttpTelemetry(Telemetry telemetry, String path, Handler next) {
        super(next);
        this.telemetry = telemetry;
        this.path = path;
    }

    /** The request as the handler behind sees it: Jetty's, with its telemetry as an attribute (no attribute map made). */
    private static final class ObservedRequest extends Request.Wrapper {
        private final RequestTelemetry telemetry;

        ObservedRequest(Request request, RequestTelemetry telemetry) {
            super(request);
            this.telemetry = telemetry;
        }

        @Override
        public Object getAttribute(String name) {
            return Telemetry.REQUEST_ATTRIBUTE.equals(name) ? telemetry : super.getAttribute(name);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!path.equals(Request.getPathInContext(request))) return super.handle(request, response, callback);
        RequestTelemetry rt = telemetry.begin(request);
        Throwable failure = null;
        try {
            return super.handle(new ObservedRequest(request, rt), response, callback);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            end(rt, request, response, failure);
        }
    }

    private void end(RequestTelemetry rt, Request request, Response response, Throwable failure) {
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
