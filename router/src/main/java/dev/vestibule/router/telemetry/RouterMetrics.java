package dev.vestibule.router.telemetry;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The router's metrics, in a registry of its own (prometheus-metrics, the Prometheus client library): the HTTP
 * semantic conventions' names, units and buckets (exposed the Prometheus way: {@code http.server.request.duration} in
 * seconds is {@code http_server_request_duration_seconds}) and the router's own {@code vestibule.*}. docs/telemetry.md
 * lists each with its labels.
 *
 * <p>Request-path cost: a labelled data point is looked up once per distinct label set and kept here (an array by
 * status code, small maps by subgraph), so recording is an array or map read and the histogram's striped add; only
 * the opt-in operation and client labels go through the library's own lookup.
 */
final class RouterMetrics {
    /** The semantic conventions' advised buckets for durations in seconds (http.server and http.client). */
    static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
    /** Body sizes in bytes: powers of 4 from 64 B to 16 MB (the conventions advise none). */
    static final double[] SIZE_BUCKETS = {64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216};
    static final String ROUTE = "/graphql";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final TelemetrySettings.Metrics settings;

    private final Histogram serverDuration;
    private final Histogram requestSize;
    private final Histogram responseSize;
    private final Gauge activeRequests;
    private final Histogram clientDuration;
    private final Counter planHits;
    private final Counter planMisses;
    private final Histogram planDuration;
    private final Counter fetchErrors;
    private final Counter fetchTimeouts;
    private final Counter joinedFetches;
    private final Counter reusedAnswers;
    private final Counter authenticationRejections;
    private final Counter rateLimitRejections;
    private final Counter persistedOperationMisses;
    private final Counter reloads;
    private final Counter labelOverflows;
    private final Counter accessLogDropped;
    private final LabelCap operationNames;
    private final LabelCap clientNames;
    private final LabelCap clientVersions;
    /** Server duration data points without the opt-in labels, by method (POST, GET, other) and status code. */
    private final DistributionDataPoint[][] serverDurationByStatus = new DistributionDataPoint[3][600];
    private final ConcurrentHashMap<String, DistributionDataPoint> clientDurations = new ConcurrentHashMap<>();

    RouterMetrics(TelemetrySettings.Metrics settings) {
        this.settings = settings;
        boolean opLabels = settings.operationLabels();
        boolean clientLabels = settings.clientLabels();
        List<String> serverLabels = new ArrayList<>(List.of("http.request.method", "url.scheme",
                "http.route", "http.response.status_code"));
        if (opLabels) serverLabels.addAll(List.of("graphql.operation.name", "graphql.operation.type"));
        if (clientLabels) serverLabels.addAll(List.of("client.name", "client.version"));
        serverDuration = histogram("http.server.request.duration", Unit.SECONDS, "Duration of HTTP server requests (GraphQL on /graphql)",
                DURATION_BUCKETS, settings.exemplars(), serverLabels.toArray(String[]::new));
        requestSize = histogram("http.server.request.body.size", Unit.BYTES, "Size of HTTP server request bodies", SIZE_BUCKETS, false,
                "http.request.method", "url.scheme", "http.route", "http.response.status_code");
        responseSize = histogram("http.server.response.body.size", Unit.BYTES, "Size of HTTP server response bodies", SIZE_BUCKETS, false,
                "http.request.method", "url.scheme", "http.route", "http.response.status_code");
        activeRequests = Gauge.builder().name("http.server.active_requests").help("HTTP server requests in flight")
                .labelNames("http.request.method", "url.scheme").register(registry);
        clientDuration = histogram("http.client.request.duration", Unit.SECONDS, "Duration of subgraph HTTP calls (those that went out)",
                DURATION_BUCKETS, settings.exemplars(), "subgraph.name", "http.request.method", "http.response.status_code", "error.type");
        planHits = counter("vestibule.plan.cache.hits", "Operations whose plan was in the plan cache");
        planMisses = counter("vestibule.plan.cache.misses", "Operations planned (not in the plan cache)");
        planDuration = histogram("vestibule.plan.duration", Unit.SECONDS, "Time spent planning operations not in the plan cache",
                DURATION_BUCKETS, false);
        fetchErrors = counter("vestibule.subgraph.fetch.errors", "Subgraph fetches that failed without an answer, by subgraph and code",
                "subgraph.name", "code");
        fetchTimeouts = counter("vestibule.subgraph.fetch.timeouts", "Subgraph fetches that got no answer in time, by subgraph",
                "subgraph.name");
        joinedFetches = counter("vestibule.subgraph.fetch.joined", "Subgraph fetches that joined an identical one in flight instead of calling",
                "subgraph.name", "join");
        reusedAnswers = counter("vestibule.answers.reused", "Answers sent as another request with the same subgraph answers had written them");
        authenticationRejections = counter("vestibule.authentication.rejections", "Requests refused by authentication, by code", "code");
        rateLimitRejections = counter("vestibule.rate_limit.rejections", "Requests refused by rate limits, by code", "code");
        persistedOperationMisses = counter("vestibule.persisted_operations.misses",
                "Persisted operations not found or not in the safelist, by code", "code");
        reloads = counter("vestibule.reloads", "Hot reloads of the supergraph, by result (success, failure)", "result");
        labelOverflows = counter("vestibule.telemetry.label_overflows",
                "Label values replaced by _overflow because the label reached its cap of distinct values", "label");
        accessLogDropped = counter("vestibule.access_log.dropped", "Access log lines dropped because the sink was slower than the requests");
        operationNames = new LabelCap("graphql.operation.name", settings.maxLabelValues(), labelOverflows);
        clientNames = new LabelCap("client.name", settings.maxLabelValues(), labelOverflows);
        clientVersions = new LabelCap("client.version", settings.maxLabelValues(), labelOverflows);
        if (settings.jvm()) JvmMetrics.builder().register(registry);
    }

    private Histogram histogram(String name, Unit unit, String help, double[] buckets, boolean exemplars, String... labels) {
        Histogram.Builder builder = Histogram.builder().name(name).unit(unit).help(help).classicOnly().classicUpperBounds(buckets)
                .labelNames(labels);
        if (!exemplars) builder.withoutExemplars();
        return builder.register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    /** The registry, for the instruments kept in classes of their own ({@link TrafficMetrics}). */
    PrometheusRegistry registry() {
        return registry;
    }

    /** The plan cache's size, read at each scrape. */
    void planCacheSize(IntSupplier size) {
        GaugeWithCallback.builder().name("vestibule.plan.cache.size").help("Plans in the plan cache")
                .callback(callback -> callback.call(size.getAsInt())).register(registry);
    }

    static int methodIndex(String method) {
        return switch (method) {
            case "POST" -> 0;
            case "GET" -> 1;
            default -> 2;
        };
    }

    private static final String[] METHODS = {"POST", "GET", "_OTHER"};

    static String method(String method) {
        return METHODS[methodIndex(method)];
    }

    void requestStarted(String method, String scheme) {
        activeRequests.labelValues(method(method), scheme).inc();
    }

    /**
     * A request on /graphql ended: its duration (with an exemplar when its trace is sampled), body sizes (-1: unknown),
     * and the opt-in labels (null values are recorded as empty).
     */
    void requestEnded(String method, String scheme, int status, double seconds, long requestBytes, long responseBytes,
                      String operationName, String operationType, String clientName, String clientVersion, Labels exemplar) {
        activeRequests.labelValues(method(method), scheme).dec();
        String statusText = status >= 100 && status < 600 ? Integer.toString(status) : "0";
        DistributionDataPoint point;
        if (settings.operationLabels() || settings.clientLabels()) {
            String[] values = new String[4 + (settings.operationLabels() ? 2 : 0) + (settings.clientLabels() ? 2 : 0)];
            values[0] = method(method);
            values[1] = scheme;
            values[2] = ROUTE;
            values[3] = statusText;
            int i = 4;
            if (settings.operationLabels()) {
                values[i++] = operationNames.admit(operationName);
                values[i++] = operationType == null ? "" : operationType;
            }
            if (settings.clientLabels()) {
                values[i++] = clientNames.admit(clientName);
                values[i] = clientVersions.admit(clientVersion);
            }
            point = serverDuration.labelValues(values);
        } else {
            int m = methodIndex(method);
            int s = status >= 100 && status < 600 ? status : 0;
            point = serverDurationByStatus[m][s];
            if (point == null) {
                point = serverDuration.labelValues(METHODS[m], scheme, ROUTE, statusText);
                serverDurationByStatus[m][s] = point;
            }
        }
        if (exemplar != null) point.observeWithExemplar(seconds, exemplar);
        else point.observe(seconds);
        if (requestBytes >= 0) requestSize.labelValues(method(method), scheme, ROUTE, statusText).observe(requestBytes);
        if (responseBytes >= 0) responseSize.labelValues(method(method), scheme, ROUTE, statusText).observe(responseBytes);
    }

    /** A subgraph call that went out ended: status 0 when no answer came, errorType null when it succeeded. */
    void subgraphCall(String subgraph, int status, String errorType, double seconds, Labels exemplar) {
        String key = subgraph + '\u0000' + status + '\u0000' + (errorType == null ? "" : errorType);
        DistributionDataPoint point = clientDurations.get(key);
        if (point == null) {
            point = clientDurations.computeIfAbsent(key, k -> clientDuration.labelValues(subgraph, "POST",
                    status == 0 ? "" : Integer.toString(status), errorType == null ? "" : errorType));
        }
        if (exemplar != null) point.observeWithExemplar(seconds, exemplar);
        else point.observe(seconds);
    }

    void subgraphFailure(String subgraph, String code) {
        fetchErrors.labelValues(subgraph, code).inc();
        if ("SUBGRAPH_TIMEOUT".equals(code)) fetchTimeouts.labelValues(subgraph).inc();
    }

    void joined(String subgraph, String join) {
        joinedFetches.labelValues(subgraph, join).inc();
    }

    void plan(boolean cacheHit) {
        (cacheHit ? planHits : planMisses).inc();
    }

    void planDuration(double seconds) {
        planDuration.observe(seconds);
    }

    void reusedAnswer() {
        reusedAnswers.inc();
    }

    void authenticationRejected(String code) {
        authenticationRejections.labelValues(code == null ? "" : code).inc();
    }

    void rateLimited(String code) {
        rateLimitRejections.labelValues(code == null ? "" : code).inc();
    }

    void persistedOperationMissed(String code) {
        persistedOperationMisses.labelValues(code == null ? "" : code).inc();
    }

    void reload(boolean success) {
        reloads.labelValues(success ? "success" : "failure").inc();
    }

    CounterDataPoint accessLogDropped() {
        return accessLogDropped;
    }

    /** The exposition for a scrape's Accept header: OpenMetrics (with exemplars) when asked, else Prometheus text. */
    Scrape scrape(String accept) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        writer.write(out, registry.scrape());
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    record Scrape(String contentType, byte[] body) {}
}
