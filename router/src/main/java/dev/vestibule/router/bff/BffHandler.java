package dev.vestibule.router.bff;

import dev.vestibule.router.bff.BffHost.MountedModule;
import dev.vestibule.router.http.RequestIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The BFF routes on the router's own Jetty server (in process): a request under a module's prefix is answered by
 * {@link BffService}, any other goes on to the router's handlers.
 */
final class BffHandler extends Handler.Wrapper {
    private final BffService service;

    BffHandler(BffHost host, Handler next) {
        super(next);
        this.service = new BffService(host);
    }

    /** Blocking: bodies are read and operations run on the request's own virtual thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        MountedModule module = service.moduleOf(path);
        if (module == null) return super.handle(request, response, callback);
        service.handle(new JettyExchange(request, response, callback, module, path));
        return true;
    }

    /** A BFF request on Jetty's core API. */
    private static final class JettyExchange extends BffExchange {
        final Request request;
        final Response response;
        final Callback callback;

        JettyExchange(Request request, Response response, Callback callback, MountedModule module, String path) {
            super(module, RequestIds.of(request), path);
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String remoteAddress() {
            return Request.getRemoteAddr(request);
        }

        @Override
        String requestHeader(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public Map<String, String> headers() {
            Map<String, String> out = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) out.putIfAbsent(field.getLowerCaseName(), field.getValue());
            return out;
        }

        @Override
        public void responseHeader(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        void addResponseHeader(String name, String value) {
            response.getHeaders().add(name, value);
        }

        @Override
        boolean hasResponseHeader(String name) {
            return response.getHeaders().contains(name);
        }

        @Override
        String rawQuery() {
            return request.getHttpURI().getQuery();
        }

        @Override
        Map<String, List<String>> queryParameters() {
            String query = request.getHttpURI().getQuery();
            if (query == null || query.isEmpty()) return Map.of();
            Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (Fields.Field field : fields) out.put(field.getName(), field.getValues());
            return out;
        }

        @Override
        long contentLength() {
            return request.getLength();
        }

        @Override
        byte[] readBody(long limit, Duration timeout) throws BodyProblem, InterruptedException {
            try {
                return Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, limit))
                        .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new BodyProblem(BodyProblem.Kind.TOO_SLOW);
            } catch (ExecutionException e) {
                throw new BodyProblem(BodyProblem.Kind.INCOMPLETE);
            }
        }

        @Override
        boolean committed() {
            return response.isCommitted();
        }

        @Override
        void send(int status, String contentType, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, method().equals("HEAD") ? null : ByteBuffer.wrap(body), callback);
        }

        @Override
        void sendEmpty(int status) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            response.write(true, null, callback);
        }
    }
}
