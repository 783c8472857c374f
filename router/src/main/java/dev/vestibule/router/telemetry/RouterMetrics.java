package dev.vestibule.router.telemetry;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
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
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The router's metrics, in a registry of its own (prometheus-metrics, the Prometheus client library): the HTTP
 * semantic conventions' names, units and buckets (exposed the Prometheus way: {@code http.server.request.duration} in
 * seconds is {@code http_server_request_duration_seconds}) and the router's own {@code vestibule.*}. docs/telemetry.md
 * lists each with its labels.
 *
 * <p>Request-path cost: the library's lookup of a labelled data point allocates and hashes the label values, so each
 * data point is looked up there once per distinct label set and kept here (arrays by method, scheme and status code,
 * a map per subgraph, a map by operation name for the opt-in operation labels, a map keyed by all the opt-in labels
 * with the client labels); recording is then an array or map read and the data point's own add, with no label values
 * built per request (and no key either, but with the client labels).
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
    private final ByRequest<DistributionDataPoint> serverDurationByRequest;
    private final ByRequest<DistributionDataPoint> requestSizeByRequest;
    private final ByRequest<DistributionDataPoint> responseSizeByRequest;
    private final ConcurrentHashMap<OptInLabels, DistributionDataPoint> serverDurationByLabels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, OperationPoints> serverDurationByOperation = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SubgraphPoints> subgraphs = new ConcurrentHashMap<>();

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
                .labelNames("http.request.method", "url.scheme").withoutExemplars().register(registry);
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
        serverDurationByRequest = new ByRequest<>(serverDuration);
        requestSizeByRequest = new ByRequest<>(requestSize);
        responseSizeByRequest = new ByRequest<>(responseSize);
    }

    private Histogram histogram(String name, Unit unit, String help, double[] buckets, boolean exemplars, String... labels) {
        Histogram.Builder builder = Histogram.builder().name(name).unit(unit).help(help).classicOnly().classicUpperBounds(buckets)
                .labelNames(labels);
        if (!exemplars) builder.withoutExemplars();
        return builder.register(registry);
    }

    /**
     * A counter; none carries exemplars, so none is built with the library's exemplar sampler, which otherwise runs on
     * increments every 90 ms per data point (a look-up of the current OpenTelemetry span, a task scheduled to re-arm it).
     */
    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
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
    private static final String[] SCHEMES = {"http", "https"};

    static String method(String method) {
        return METHODS[methodIndex(method)];
    }

    static int schemeIndex(String scheme) {
        return "https".equals(scheme) ? 1 : 0;
    }

    /** A status code as an index (0 for one out of range, recorded as "0"). */
    private static int statusIndex(int status) {
        return status >= 100 && status < 600 ? status : 0;
    }

    private static String statusText(int status) {
        int s = statusIndex(status);
        String text = STATUS_TEXTS[s];
        return text != null ? text : Integer.toString(s);
    }

    private static final String[] STATUS_TEXTS = new String[600];

    static {
        for (int s = 100; s < 600; s++) STATUS_TEXTS[s] = Integer.toString(s).intern();
        STATUS_TEXTS[0] = "0";
    }

    /** The statuses /graphql answers with, each with a slot of its own in {@link ByRequest} (slot 0: any other). */
    private static final int[] COMMON_STATUSES = {200, 204, 304, 400, 401, 403, 404, 405, 406, 408, 413, 415, 422, 429, 500, 502, 503, 504};
    private static final byte[] STATUS_SLOTS = new byte[600];

    static {
        for (int i = 0; i < COMMON_STATUSES.length; i++) STATUS_SLOTS[COMMON_STATUSES[i]] = (byte) (i + 1);
    }

    /**
     * One instrument's data points for the labels every request has (method, scheme, route, status), and the opt-in
     * labels' values after them when this is the set of one operation ({@code extra}), each looked up in the library
     * once (its lookup allocates and hashes the label values) and then read from an array: a slot per method, scheme
     * and common status (114 slots), a map for the other statuses.
     */
    private static final class ByRequest<P extends DataPoint> {
        private final StatefulMetric<P, ?> metric;
        private final String[] extra;
        private final AtomicReferenceArray<P> points = new AtomicReferenceArray<>(METHODS.length * SCHEMES.length * (COMMON_STATUSES.length + 1));
        private final ConcurrentHashMap<Integer, P> otherStatuses = new ConcurrentHashMap<>();

        ByRequest(StatefulMetric<P, ?> metric, String... extra) {
            this.metric = metric;
            this.extra = extra;
        }

        P get(int method, int scheme, int status) {
            int s = statusIndex(status);
            int slot = STATUS_SLOTS[s];
            if (slot == 0) return otherStatuses.computeIfAbsent(s * 8 + method * SCHEMES.length + scheme, k -> lookUp(method, scheme, s));
            int i = (method * SCHEMES.length + scheme) * (COMMON_STATUSES.length + 1) + slot;
            P point = points.get(i);
            if (point == null) {
                point = lookUp(method, scheme, s);
                points.set(i, point);
            }
            return point;
        }

        private P lookUp(int method, int scheme, int status) {
            String[] values = new String[4 + extra.length];
            values[0] = METHODS[method];
            values[1] = SCHEMES[scheme];
            values[2] = ROUTE;
            values[3] = statusText(status);
            System.arraycopy(extra, 0, values, 4, extra.length);
            return metric.labelValues(values);
        }
    }

    /** The operation types as the graphql.operation.type label has them ("" when unknown: refused before parsing). */
    private static final String[] OPERATION_TYPES = {"query", "mutation", "subscription", ""};

    private static int operationTypeIndex(String type) {
        if (type == null) return 3;
        return switch (type) {
            case "query" -> 0;
            case "mutation" -> 1;
            case "subscription" -> 2;
            default -> 3;
        };
    }

    /**
     * The server durations of one operation name (the opt-in operation labels without the client labels), by
     * operation type: found by the name alone, so that recording builds no key.
     */
    private final class OperationPoints {
        private final String name;
        private final AtomicReferenceArray<ByRequest<DistributionDataPoint>> byType = new AtomicReferenceArray<>(OPERATION_TYPES.length);

        OperationPoints(String name) {
            this.name = name;
        }

        ByRequest<DistributionDataPoint> of(String type) {
            int t = operationTypeIndex(type);
            ByRequest<DistributionDataPoint> points = byType.get(t);
            if (points == null) {
                // two threads may make one each: both hold the library's same data points, and one is kept
                byType.compareAndSet(t, null, new ByRequest<>(serverDuration, name, OPERATION_TYPES[t]));
                points = byType.get(t);
            }
            return points;
        }
    }

    /** The active-requests gauge's data points by method and scheme. */
    private final AtomicReferenceArray<GaugeDataPoint> activeByMethod = new AtomicReferenceArray<>(METHODS.length * SCHEMES.length);

    private GaugeDataPoint active(int method, int scheme) {
        int i = method * SCHEMES.length + scheme;
        GaugeDataPoint point = activeByMethod.get(i);
        if (point == null) {
            point = activeRequests.labelValues(METHODS[method], SCHEMES[scheme]);
            activeByMethod.set(i, point);
        }
        return point;
    }

    void requestStarted(String method, String scheme) {
        active(methodIndex(method), schemeIndex(scheme)).inc();
    }

    /**
     * The labels of a server duration with the opt-in labels on: the key of its data point. A class rather than a
     * record: a record's equals and hashCode go through method handles, which the profile of the request path showed
     * (docs/performance.md); here the hash is computed once and equals compares the codes first.
     */
    private static final class OptInLabels {
        final int code;
        final String operationName;
        final String operationType;
        final String clientName;
        final String clientVersion;
        private final int hash;

        OptInLabels(int method, int scheme, int status, String operationName, String operationType, String clientName,
                    String clientVersion) {
            this.code = (method * SCHEMES.length + scheme) * 600 + status;
            this.operationName = operationName;
            this.operationType = operationType;
            this.clientName = clientName;
            this.clientVersion = clientVersion;
            int h = code;
            h = 31 * h + (operationName == null ? 0 : operationName.hashCode());
            h = 31 * h + (operationType == null ? 0 : operationType.hashCode());
            h = 31 * h + (clientName == null ? 0 : clientName.hashCode());
            h = 31 * h + (clientVersion == null ? 0 : clientVersion.hashCode());
            this.hash = h;
        }

        int method() {
            return code / 600 / SCHEMES.length;
        }

        int scheme() {
            return code / 600 % SCHEMES.length;
        }

        int status() {
            return code % 600;
        }

        private static boolean same(String a, String b) {
            return a == b || (a != null && a.equals(b));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof OptInLabels o && o.code == code && o.hash == hash && same(o.operationName, operationName)
                    && same(o.operationType, operationType) && same(o.clientName, clientName) && same(o.clientVersion, clientVersion);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A request on /graphql ended: its duration (with an exemplar when its trace is sampled), body sizes (-1: unknown),
     * and the opt-in labels (null values are recorded as empty).
     */
    void requestEnded(String method, String scheme, int status, double seconds, long requestBytes, long responseBytes,
                      String operationName, String operationType, String clientName, String clientVersion, Labels exemplar) {
        int m = methodIndex(method);
        int sc = schemeIndex(scheme);
        active(m, sc).dec();
        DistributionDataPoint point;
        if (settings.operationLabels() && !settings.clientLabels()) {
            String name = operationNames.admit(operationName);
            OperationPoints points = serverDurationByOperation.get(name);
            if (points == null) points = serverDurationByOperation.computeIfAbsent(name, OperationPoints::new);
            point = points.of(operationType).get(m, sc, status);
        } else if (settings.clientLabels()) {
            OptInLabels key = new OptInLabels(m, sc, statusIndex(status),
                    settings.operationLabels() ? operationNames.admit(operationName) : null,
                    settings.operationLabels() ? (operationType == null ? "" : operationType) : null,
                    settings.clientLabels() ? clientNames.admit(clientName) : null,
                    settings.clientLabels() ? clientVersions.admit(clientVersion) : null);
            point = serverDurationByLabels.get(key);
            if (point == null) point = serverDurationByLabels.computeIfAbsent(key, this::serverDurationPoint);
        } else {
            point = serverDurationByRequest.get(m, sc, status);
        }
        if (exemplar != null) point.observeWithExemplar(seconds, exemplar);
        else point.observe(seconds);
        if (requestBytes >= 0) requestSizeByRequest.get(m, sc, status).observe(requestBytes);
        if (responseBytes >= 0) responseSizeByRequest.get(m, sc, status).observe(responseBytes);
    }

    private DistributionDataPoint serverDurationPoint(OptInLabels key) {
        List<String> values = new ArrayList<>(List.of(METHODS[key.method()], SCHEMES[key.scheme()], ROUTE, statusText(key.status())));
        if (key.operationName != null) {
            values.add(key.operationName);
            values.add(key.operationType);
        }
        if (key.clientName != null) {
            values.add(key.clientName);
            values.add(key.clientVersion);
        }
        return serverDuration.labelValues(values.toArray(String[]::new));
    }

    /** One subgraph's data points: call durations by status (answered, no error) and by status and error, join counters. */
    private final class SubgraphPoints {
        private final String subgraph;
        private final AtomicReferenceArray<DistributionDataPoint> answered = new AtomicReferenceArray<>(600);
        private final ConcurrentHashMap<String, DistributionDataPoint> failed = new ConcurrentHashMap<>();
        private volatile CounterDataPoint joinedEntityFetch;
        private volatile CounterDataPoint joinedHttpCall;

        SubgraphPoints(String subgraph) {
            this.subgraph = subgraph;
        }

        DistributionDataPoint duration(int status, String errorType) {
            String statusLabel = status == 0 ? "" : statusText(status);
            if (errorType != null) {
                return failed.computeIfAbsent(statusLabel + ' ' + errorType, k -> clientDuration.labelValues(subgraph, "POST", statusLabel, errorType));
            }
            int s = statusIndex(status);
            DistributionDataPoint point = answered.get(s);
            if (point == null) {
                point = clientDuration.labelValues(subgraph, "POST", s == 0 ? "" : statusText(s), "");
                answered.set(s, point);
            }
            return point;
        }

        CounterDataPoint joined(boolean entityFetch) {
            CounterDataPoint point = entityFetch ? joinedEntityFetch : joinedHttpCall;
            if (point == null) {
                point = joinedFetches.labelValues(subgraph, entityFetch ? "entity_fetch" : "http_call");
                if (entityFetch) joinedEntityFetch = point;
                else joinedHttpCall = point;
            }
            return point;
        }
    }

    private SubgraphPoints subgraph(String subgraph) {
        SubgraphPoints points = subgraphs.get(subgraph);
        return points != null ? points : subgraphs.computeIfAbsent(subgraph, SubgraphPoints::new);
    }

    /** A subgraph call that went out ended: status 0 when no answer came, errorType null when it succeeded. */
    void subgraphCall(String subgraph, int status, String errorType, double seconds, Labels exemplar) {
        DistributionDataPoint point = subgraph(subgraph).duration(status, errorType);
        if (exemplar != null) point.observeWithExemplar(seconds, exemplar);
        else point.observe(seconds);
    }

    void subgraphFailure(String subgraph, String code) {
        fetchErrors.labelValues(subgraph, code).inc();
        if ("SUBGRAPH_TIMEOUT".equals(code)) fetchTimeouts.labelValues(subgraph).inc();
    }

    void joined(String subgraph, boolean entityFetch) {
        subgraph(subgraph).joined(entityFetch).inc();
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
