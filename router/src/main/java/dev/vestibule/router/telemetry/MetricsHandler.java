package dev.vestibule.router.telemetry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * GET {@code path} answers the metrics in the Prometheus text format, or OpenMetrics (with exemplars) when the
 * scraper's Accept asks for it; other paths go on to {@code next} (none on the metrics port: 404).
 */
final class MetricsHandler extends Handler.Wrapper {
    private final String path;
    private final RouterMetrics metrics;

    MetricsHandler(String path, RouterMetrics metrics, Handler next) {
        super(next);
        this.path = path;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!path.equals(Request.getPathInContext(request))) {
            if (getHandler() != null) return super.handle(request, response, callback);
            return answer(response, callback, 404, "text/plain; charset=utf-8", ("nothing here; metrics are at " + path + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return answer(response, callback, 405, "text/plain; charset=utf-8", "use GET\n".getBytes(StandardCharsets.UTF_8));
        }
        RouterMetrics.Scrape scrape = metrics.scrape(request.getHeaders().get(HttpHeader.ACCEPT));
        return answer(response, callback, 200, scrape.contentType(), scrape.body());
    }

    private static boolean answer(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
