package dev.vestibule.router.bff;

import dev.vestibule.router.bff.BffHost.MountedModule;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RequestIds;
import dev.vestibule.router.middleware.EdgePolicy;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BFF modules as their own process (standalone mode): the same routes, policies and OpenAPI documents as in the
 * router's process ({@link BffService}), served by Javalin, with each operation sent to a router over HTTP by its
 * persisted id ({@link RouterClient}) instead of run in process. The config (the router's format; its
 * {@code authentication}, {@code rate_limits}, {@code cors}, {@code csrf} and {@code server} sections apply) gives the
 * BFF's own edge filters; the caller's Authorization is passed to the router, which verifies it again and forwards
 * identity by its own rules.
 */
public final class StandaloneBff implements AutoCloseable {
    private final Javalin app;
    private final BffHost host;
    private final EdgePolicy policy;

    private StandaloneBff(Javalin app, BffHost host, EdgePolicy policy) {
        this.app = app;
        this.host = host;
        this.policy = policy;
    }

    /**
     * Starts {@code modules} on {@code host:port} (0: any free port), their operations sent to {@code routerGraphql}.
     *
     * @param clientHeader the header that names the client to the router ({@code apollographql-client-name})
     */
    public static StandaloneBff start(List<BffModule> modules, URI routerGraphql, String clientHeader, RouterConfig config,
                                      String hostName, int port) {
        if (modules.isEmpty()) throw new IllegalArgumentException("no BFF module to serve");
        EdgePolicy policy = config.edgePolicy();
        BffHost host;
        try {
            host = BffHost.mount(modules, policy, new RouterClient(routerGraphql, clientHeader), config.server(),
                    config.settings().requestTimeout(), config.rateLimits());
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
        BffService service = new BffService(host);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            // each request waits on the router on a thread of its own: virtual threads, as in the router
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.server().maxBodyBytes();
            cfg.routes.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            for (MountedModule module : host.modules) {
                for (HandlerType type : List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT,
                        HandlerType.PATCH, HandlerType.DELETE, HandlerType.OPTIONS)) {
                    for (String path : List.of(module.prefix(), module.prefix() + "/<rest>")) {
                        cfg.routes.addHttpHandler(type, path, ctx -> service.handle(new JavalinExchange(ctx, module)));
                    }
                }
            }
        });
        try {
            app.start(hostName, port);
        } catch (RuntimeException e) {
            host.close();
            policy.close();
            throw e;
        }
        return new StandaloneBff(app, host, policy);
    }

    public int port() {
        return app.port();
    }

    /** The mounted modules' client names. */
    public List<String> clients() {
        return host.clients();
    }

    @Override
    public void close() {
        app.stop();
        host.close();
        policy.close();
    }

    /** A BFF request on Javalin (the servlet API underneath). */
    private static final class JavalinExchange extends BffExchange {
        private final Context ctx;
        private final HttpServletRequest request;

        JavalinExchange(Context ctx, MountedModule module) {
            super(module, RequestIds.of(ctx.header(RequestIds.HEADER)), ctx.path());
            this.ctx = ctx;
            this.request = ctx.req();
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String remoteAddress() {
            return request.getRemoteAddr();
        }

        @Override
        String requestHeader(String name) {
            return request.getHeader(name);
        }

        @Override
        public Map<String, String> headers() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) out.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
            return out;
        }

        @Override
        public void responseHeader(String name, String value) {
            ctx.res().setHeader(name, value);
        }

        @Override
        void addResponseHeader(String name, String value) {
            ctx.res().addHeader(name, value);
        }

        @Override
        boolean hasResponseHeader(String name) {
            return ctx.res().containsHeader(name);
        }

        @Override
        String rawQuery() {
            return request.getQueryString();
        }

        @Override
        Map<String, List<String>> queryParameters() {
            return ctx.queryParamMap();
        }

        @Override
        long contentLength() {
            return request.getContentLengthLong();
        }

        /** Read on the request's virtual thread; a body slower than Jetty's idle timeout fails as cut off. */
        @Override
        byte[] readBody(long limit, Duration timeout) throws BodyProblem {
            try (InputStream in = request.getInputStream()) {
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                if (body.length > limit) throw new BodyProblem(BodyProblem.Kind.TOO_LARGE);
                return body;
            } catch (IOException e) {
                throw new BodyProblem(BodyProblem.Kind.INCOMPLETE);
            }
        }

        @Override
        boolean committed() {
            return ctx.res().isCommitted();
        }

        @Override
        void send(int status, String contentType, byte[] body) {
            ctx.status(status);
            ctx.res().setContentType(contentType);
            ctx.res().setContentLength(body.length);
            if (method().equals("HEAD")) return;
            try {
                ctx.res().getOutputStream().write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void sendEmpty(int status) {
            ctx.status(status);
            ctx.res().setContentLength(0);
        }
    }
}
