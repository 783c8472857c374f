package dev.vestibule.samples.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.samples.server.FaultSettings.Fault;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One sample subgraph on its own Javalin server: GraphQL over HTTP at /graphql, with injected faults, a request log
 * and a small admin API (/admin/faults, /admin/requests) that tests and people use at run time.
 */
public final class SubgraphServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};
    /** How long a hung request waits at most when nobody stops the server. */
    private static final long HANG_LIMIT_MINUTES = 10;

    private final String name;
    private final GraphQL graphql;
    private final AtomicReference<FaultSettings> faults;
    private final RequestLog requestLog = new RequestLog();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Javalin app;

    private SubgraphServer(String name, GraphQL graphql, FaultSettings faults) {
        this.name = name;
        this.graphql = graphql;
        this.faults = new AtomicReference<>(faults);
    }

    /**
     * Starts a server on host:port (port 0 picks a free port).
     *
     * @throws PortInUseException when the port is taken
     */
    public static SubgraphServer start(String name, GraphQL graphql, String host, int port, FaultSettings faults) {
        SubgraphServer server = new SubgraphServer(name, graphql, faults);
        server.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = 16 * 1024 * 1024;
            cfg.routes.post("/graphql", server::graphql);
            cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok", "subgraph", name)));
            cfg.routes.get("/admin/faults", ctx -> server.writeJson(ctx, 200, server.faults.get()));
            cfg.routes.put("/admin/faults", server::putFaults);
            cfg.routes.delete("/admin/faults", ctx -> {
                server.faults.set(FaultSettings.NONE);
                server.writeJson(ctx, 200, FaultSettings.NONE);
            });
            cfg.routes.get("/admin/requests", ctx -> server.writeJson(ctx, 200, Map.of(
                    "subgraph", name, "total", server.requestLog.totalCount(), "requests", server.requestLog.entries())));
            cfg.routes.delete("/admin/requests", ctx -> {
                server.requestLog.clear();
                ctx.status(204);
            });
        });
        try {
            server.app.start(host, port);
        } catch (JavalinBindException e) {
            throw new PortInUseException(port, e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof BindException) throw new PortInUseException(port, e);
            throw e;
        }
        return server;
    }

    public String name() { return name; }
    public int port() { return app.port(); }
    public String url() { return "http://127.0.0.1:" + port() + "/graphql"; }
    public String baseUrl() { return "http://127.0.0.1:" + port(); }
    public RequestLog requestLog() { return requestLog; }
    public FaultSettings faults() { return faults.get(); }
    public void setFaults(FaultSettings settings) { faults.set(settings); }

    @Override
    public void close() {
        stopped.countDown(); // releases hung requests so that Jetty can stop
        app.stop();
    }

    // ---- /graphql -------------------------------------------------------------------------------------------

    private void graphql(Context ctx) throws Exception {
        Map<String, Object> body;
        try {
            body = JSON.readValue(ctx.bodyAsBytes(), JSON_OBJECT);
        } catch (IOException e) {
            writeErrors(ctx, 400, "request body is not a JSON object: " + firstLine(e.getMessage()), "BAD_REQUEST");
            return;
        }
        if (!(body.get("query") instanceof String query)) {
            writeErrors(ctx, 400, "request body has no \"query\" string", "BAD_REQUEST");
            return;
        }
        String operationName = body.get("operationName") instanceof String op ? op : null;
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = body.get("variables") instanceof Map<?, ?> vars ? (Map<String, Object>) vars : Map.of();
        requestLog.record(operationName, query, variables, ctx.headerMap());

        FaultSettings settings = faults.get();
        Fault fault = settings.pick(ThreadLocalRandom.current().nextDouble());
        if (fault == Fault.HANG) {
            stopped.await(HANG_LIMIT_MINUTES, TimeUnit.MINUTES);
            writeErrors(ctx, 503, "subgraph " + name + " stopped while the request hung", "INJECTED_HANG");
            return;
        }
        sleepLatency(settings);
        switch (fault) {
            case DISCONNECT -> disconnectMidResponse(ctx);
            case HTTP_500 -> writeErrors(ctx, 500, "injected HTTP 500 from subgraph " + name, "INJECTED_HTTP_500");
            case INVALID_JSON -> ctx.status(200).contentType("application/json")
                    .result("{\"data\": {\"broken\": <html>injected invalid JSON from " + name);
            case GRAPHQL_ERROR -> writeJson(ctx, 200, injectedGraphQLError());
            case NONE, HANG -> execute(ctx, query, operationName, variables);
        }
    }

    private void execute(Context ctx, String query, String operationName, Map<String, Object> variables) throws IOException {
        ExecutionInput input = ExecutionInput.newExecutionInput(query).operationName(operationName)
                .variables(variables).build();
        ExecutionResult result = graphql.execute(input);
        writeJson(ctx, 200, result.toSpecification());
    }

    /**
     * Announces a body longer than what it sends, sends part of a JSON answer and ends the exchange: the server
     * then has to drop the connection, and the client sees the body cut off.
     */
    private void disconnectMidResponse(Context ctx) throws IOException {
        byte[] partial = ("{\"data\": {\"partial\": \"the connection of subgraph " + name + " closes here")
                .getBytes(StandardCharsets.UTF_8);
        ctx.res().setStatus(200);
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(partial.length * 4);
        OutputStream out = ctx.res().getOutputStream();
        out.write(partial);
        out.flush();
        throw new InjectedDisconnect();
    }

    private void sleepLatency(FaultSettings settings) throws InterruptedException {
        int min = settings.latencyMinMs();
        int max = settings.latencyMaxMs();
        int delay = max > min ? ThreadLocalRandom.current().nextInt(min, max + 1) : min;
        if (delay > 0) Thread.sleep(delay);
    }

    // ---- /admin ---------------------------------------------------------------------------------------------

    private void putFaults(Context ctx) throws IOException {
        try {
            FaultSettings settings = JSON.readValue(ctx.bodyAsBytes(), FaultSettings.class);
            faults.set(settings);
            writeJson(ctx, 200, settings);
        } catch (IOException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            writeJson(ctx, 400, Map.of("error", firstLine(cause.getMessage()),
                    "hint", "send a JSON object with any of latencyMinMs, latencyMaxMs, hangRate, disconnectRate, "
                            + "http500Rate, invalidJsonRate, errorRate (missing fields are 0)"));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void writeErrors(Context ctx, int status, String message, String code) throws IOException {
        writeJson(ctx, status, Map.of("errors", List.of(Map.of("message", message,
                "extensions", Map.of("code", code, "subgraph", name)))));
    }

    private void writeJson(Context ctx, int status, Object value) throws IOException {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(value));
    }

    /** {"data": null, "errors": [...]}: what a subgraph answers when its resolvers failed. */
    private Map<String, Object> injectedGraphQLError() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", null);
        body.put("errors", List.of(Map.of("message", "injected error from subgraph " + name,
                "extensions", Map.of("code", "INJECTED_ERROR", "subgraph", name))));
        return body;
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Thrown after a partial body was flushed, so that Jetty aborts the connection instead of completing it. */
    static final class InjectedDisconnect extends RuntimeException {
        InjectedDisconnect() {
            super("injected disconnect", null, false, false);
        }
    }

    /** The requested port is taken. */
    public static final class PortInUseException extends RuntimeException {
        private final int port;

        PortInUseException(int port, Throwable cause) {
            super("port " + port + " is already in use", cause);
            this.port = port;
        }

        public int port() { return port; }
    }
}
