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
 * {@link RequestTelemetry} (server span, active-request count), held in a thread-local while the handler behind runs
 * it on this thread, where the edge filters ({@link ObservedFilter}) and the engine's observer
 * ({@link TelemetryObserver}) find it; when the handler returns, the answer's status and sizes are known and the
 * request ends (metrics, span, access log line). Other paths pass untouched. Installed only when telemetry is on.
 */
final class HttpTelemetry extends Handler.Wrapper {
    private static final ThreadLocal<RequestTelemetry> CURRENT = new ThreadLocal<>();
    private final Telemetry telemetry;
    private final String path;

    HttpTelemetry(Telemetry telemetry, String path, Handler next) {
        super(next);
        this.telemetry = telemetry;
        this.path = path;
    }

    /** The request this thread is handling on /graphql, or null. */
    static RequestTelemetry current() {
        return CURRENT.get();
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!path.equals(Request.getPathInContext(request))) return super.handle(request, response, callback);
        RequestTelemetry rt = telemetry.begin(request);
        CURRENT.set(rt);
        Throwable failure = null;
        try {
            return super.handle(request, response, callback);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            CURRENT.remove();
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
