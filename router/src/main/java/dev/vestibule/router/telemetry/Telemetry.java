package dev.vestibule.router.telemetry;

import dev.vestibule.router.http.GraphQLRequestObserver;
import dev.vestibule.router.middleware.EdgeChain;
import dev.vestibule.router.middleware.EdgeFilter;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.subgraph.traffic.SubgraphTraffic;
import dev.vestibule.router.subgraph.traffic.TrafficObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;

/**
 * The router's telemetry, built from the {@code telemetry} config section and owned by {@code VestibuleServer}
 * (which closes it on shutdown: queued spans and access log lines are written then): Prometheus metrics
 * ({@link RouterMetrics}, at /metrics and optionally on a port of their own), OpenTelemetry traces ({@link Tracing}),
 * the access log ({@link AccessLogWriter}). It reaches the request path in three places, each only when some part
 * is on: the GraphQL route's request observer ({@link HttpTelemetry}), the edge filters ({@link ObservedFilter}) and
 * the engine's observer ({@link TelemetryObserver}). {@link #OFF} installs none of them: no object per request, no
 * thread-local, no call.
 */
public final class Telemetry implements AutoCloseable {
    /** Everything off: nothing is installed. */
    public static final Telemetry OFF = new Telemetry();

    static final String GRAPHQL_PATH = "/graphql";
    /** The server span's name until the operation is known, by method (RouterMetrics.methodIndex): made once. */
    private static final String[] SERVER_SPAN_NAMES = {"POST " + GRAPHQL_PATH, "GET " + GRAPHQL_PATH, "_OTHER " + GRAPHQL_PATH};
    private static final String CLIENT_NAME_HEADER = "apollographql-client-name";
    private static final String CLIENT_VERSION_HEADER = "apollographql-client-version";
    private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> CLIENT_NAME = AttributeKey.stringKey("client.name");
    private static final AttributeKey<String> CLIENT_VERSION = AttributeKey.stringKey("client.version");
    private static final TextMapGetter<Request> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Request request) {
            List<String> names = new ArrayList<>();
            for (HttpField field : request.getHeaders()) names.add(field.getLowerCaseName());
            return names;
        }

        @Override
        public String get(Request request, String name) {
            return request == null ? null : request.getHeaders().get(name);
        }
    };

    private final TelemetrySettings settings;
    private final RouterMetrics metrics;
    private final TrafficMetrics trafficMetrics;
    private final Tracing tracing;
    private final AccessLogWriter accessLog;
    private final MetricsServer metricsServer;
    /** Whether every request's client name and version are read (labels, access log); else only a sampled one's. */
    private final boolean readsClientHeaders;

    private Telemetry() {
        this.settings = TelemetrySettings.OFF;
        this.metrics = null;
        this.trafficMetrics = null;
        this.tracing = null;
        this.accessLog = null;
        this.metricsServer = null;
        this.readsClientHeaders = false;
    }

    private Telemetry(TelemetrySettings settings, List<SpanExporter> extraExporters) {
        this.settings = settings;
        RouterMetrics madeMetrics = null;
        Tracing madeTracing = null;
        AccessLogWriter madeLog = null;
        MetricsServer madeServer = null;
        try {
            if (settings.metrics().enabled()) madeMetrics = new RouterMetrics(settings.metrics());
            if (settings.tracing().enabled() || !extraExporters.isEmpty()) madeTracing = new Tracing(settings, extraExporters);
            if (settings.accessLog().enabled()) {
                madeLog = new AccessLogWriter(settings.accessLog(), madeMetrics == null ? null : madeMetrics.accessLogDropped());
            }
            if (madeMetrics != null && settings.metrics().listenPort() != 0) {
                madeServer = MetricsServer.start(settings.metrics(), madeMetrics);
            }
        } catch (RuntimeException | Error e) {
            if (madeLog != null) madeLog.close();
            if (madeTracing != null) madeTracing.close();
            throw e;
        }
        this.metrics = madeMetrics;
        this.trafficMetrics = madeMetrics == null ? null : new TrafficMetrics(madeMetrics.registry());
        this.tracing = madeTracing;
        this.accessLog = madeLog;
        this.metricsServer = madeServer;
        this.readsClientHeaders = madeLog != null || (madeMetrics != null && settings.metrics().clientLabels());
    }

    /** The telemetry {@code settings} describe ({@link #OFF} when every part is off). */
    public static Telemetry start(TelemetrySettings settings) {
        return settings.enabled() ? new Telemetry(settings, List.of()) : OFF;
    }

    /** As {@link #start(TelemetrySettings)}, spans also going to {@code exporters} (tests: the SDK's in-memory exporter). */
    public static Telemetry start(TelemetrySettings settings, List<SpanExporter> exporters) {
        return settings.enabled() || !exporters.isEmpty() ? new Telemetry(settings, exporters) : OFF;
    }

    public boolean enabled() {
        return this != OFF;
    }

    /** What the engine reports to: {@code other} (tests' counters) and this telemetry, when on. */
    public GatewayObserver observer(GatewayObserver other) {
        if (!enabled()) return other;
        GatewayObserver mine = new TelemetryObserver(trafficMetrics == null ? TrafficObserver.NONE : trafficMetrics);
        return other == GatewayObserver.NONE ? mine : new CombinedObserver(other, mine);
    }

    /** What the GraphQL route tells each request's start and end (null when off: the route does nothing more). */
    public GraphQLRequestObserver requestObserver() {
        return enabled() ? new HttpTelemetry(this) : null;
    }

    /** The edge chain with each filter observed (the chain itself when off). */
    public EdgeChain instrument(EdgeChain chain) {
        if (!enabled()) return chain;
        List<EdgeFilter> filters = new ArrayList<>();
        for (EdgeFilter filter : chain.filters()) filters.add(new ObservedFilter(filter, metrics));
        return new EdgeChain(filters);
    }

    /**
     * The metrics route when metrics are served on the router's port (else null): it answers its own {@link
     * #metricsPath()} only. The server dispatches to it beside /health and /ready, not as a handler around GraphQL:
     * a wrapper would be one more dispatch level on every request, and one more method that the JIT compiles with
     * the whole request path inlined below it (docs/performance.md, session 20).
     */
    public Handler metricsRoute() {
        if (metrics == null || !settings.metrics().onRouterPort()) return null;
        return new MetricsHandler(settings.metrics().path(), metrics, null);
    }

    /** The path of {@link #metricsRoute()}. */
    public String metricsPath() {
        return settings.metrics().path();
    }

    /** The plan cache's size, read at each scrape. */
    public void planCacheSize(IntSupplier size) {
        if (metrics != null) metrics.planCacheSize(size);
    }

    /** The traffic mechanisms' state (breakers, pools, canaries) of the serving router, read at each scrape. */
    public void trafficState(Supplier<SubgraphTraffic> traffic) {
        if (metrics != null) TrafficMetrics.stateGauges(metrics.registry(), traffic);
    }

    /** A hot reload happened (counted by result). */
    public void reloaded(boolean success) {
        if (metrics != null) metrics.reload(success);
    }

    /** The port metrics are served on when they have one of their own (0 otherwise). */
    public int metricsPort() {
        return metricsServer == null ? 0 : metricsServer.port();
    }

    /** Access log lines dropped because the sink was slow (0 without an access log). */
    public long accessLogDropped() {
        return accessLog == null ? 0 : accessLog.dropped();
    }

    /** Exports the spans queued now (tests; the batch processors export on their own schedule). */
    public void flush() {
        if (tracing != null) tracing.flush();
    }

    // --- for the request path (this package) ---

    RouterMetrics metrics() {
        return metrics;
    }

    AccessLogWriter accessLog() {
        return accessLog;
    }

    Tracer tracer() {
        return tracing.tracer();
    }

    boolean exemplars() {
        return settings.metrics().exemplars();
    }

    boolean recordsDocument() {
        return settings.tracing().recordDocument();
    }

    boolean namesSpansByOperation() {
        return settings.tracing().spanName() == TelemetrySettings.SpanName.OPERATION_TYPE_AND_NAME;
    }

    boolean logsVariables() {
        return accessLog != null && settings.accessLog().fields().contains("variables");
    }

    boolean logsClientIp() {
        return settings.accessLog().fields().contains("client_ip");
    }

    boolean logsUserAgent() {
        return settings.accessLog().fields().contains("user_agent");
    }

    List<String> loggedHeaders() {
        return settings.accessLog().headers();
    }

    /** A request on /graphql begins: its server span (from the client's traceparent, if any) and the active count. */
    RequestTelemetry begin(Request request) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String scheme = request.isSecure() ? "https" : "http";
        String clientName = null;
        String clientVersion = null;
        if (readsClientHeaders) {
            clientName = request.getHeaders().get(CLIENT_NAME_HEADER);
            clientVersion = request.getHeaders().get(CLIENT_VERSION_HEADER);
        }
        if (metrics != null) metrics.requestStarted(method, scheme);
        Span server = null;
        SpanContext unsampledParent = null; // RequestTelemetry makes the unsampled trace context when it is first needed
        long traceIdLow = 0;
        if (tracing != null) {
            TraceSampling sampling = tracing.sampling();
            // the common case, no traceparent from the client, reads one header and builds no context
            SpanContext parent = request.getHeaders().get(UnsampledTrace.TRACEPARENT) == null ? SpanContext.getInvalid()
                    : Span.fromContext(W3CTraceContextPropagator.getInstance().extract(Context.root(), request, HEADERS)).getSpanContext();
            if (parent.isValid()) {
                if (sampling.samples(parent)) server = startServerSpan(Context.root().with(Span.wrap(parent)), method);
                else unsampledParent = parent;
            } else {
                traceIdLow = ThreadLocalRandom.current().nextLong();
                if (sampling.samplesRoot(traceIdLow)) server = startServerSpan(Context.root(), method);
                else unsampledParent = parent; // invalid: a new trace
            }
            if (server != null) {
                if (!readsClientHeaders) {
                    clientName = request.getHeaders().get(CLIENT_NAME_HEADER);
                    clientVersion = request.getHeaders().get(CLIENT_VERSION_HEADER);
                }
                server.setAttribute(HTTP_METHOD, RouterMetrics.method(method));
                server.setAttribute(URL_SCHEME, scheme);
                server.setAttribute(URL_PATH, GRAPHQL_PATH);
                server.setAttribute(ROUTE, GRAPHQL_PATH);
                if (clientName != null) server.setAttribute(CLIENT_NAME, clientName);
                if (clientVersion != null) server.setAttribute(CLIENT_VERSION, clientVersion);
            }
        }
        return new RequestTelemetry(this, start, method, scheme, clientName, clientVersion, server, unsampledParent, traceIdLow);
    }

    /** The server span of a sampled request (the SDK's sampler takes it: sampling was decided in TraceSampling). */
    private Span startServerSpan(Context parent, String method) {
        return tracing.tracer().spanBuilder(SERVER_SPAN_NAMES[RouterMetrics.methodIndex(method)]).setParent(parent)
                .setSpanKind(SpanKind.SERVER).startSpan();
    }

    /** A request on /graphql has been answered. */
    void end(RequestTelemetry rt) {
        if (metrics != null) {
            metrics.requestEnded(rt.method, rt.scheme, rt.status, rt.durationNanos / 1e9, rt.requestBytes, rt.responseBytes,
                    rt.operationName, rt.operationType, rt.clientName, rt.clientVersion, rt.exemplar(rt.server));
        }
        if (rt.server != null) {
            rt.server.setAttribute(STATUS, rt.status);
            if (rt.status >= 500) {
                rt.server.setStatus(StatusCode.ERROR);
                rt.server.setAttribute(RequestTelemetry.ERROR_TYPE, Integer.toString(rt.status));
            }
            rt.server.end();
        }
        if (accessLog != null) accessLog.log(rt);
    }

    /** {@code request}'s propagation headers with {@code context} as the W3C trace context (traceparent, tracestate). */
    Map<String, String> inject(SpanContext context, Map<String, String> request) {
        Map<String, String> trace = new HashMap<>(4);
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(context)), trace, Map::put);
        return RequestTelemetry.merged(request, trace);
    }

    /** Stops the metrics port, writes the queued spans and access log lines, and closes the exporters. */
    @Override
    public void close() {
        if (metricsServer != null) metricsServer.close();
        if (tracing != null) tracing.close();
        if (accessLog != null) accessLog.close();
    }
}
