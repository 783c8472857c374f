package dev.vestibule.router.telemetry;

import dev.vestibule.router.operation.GraphQLErrors;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.Stage;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request on /graphql as telemetry sees it, from the HTTP handler's start to its answer: the server span (when
 * the trace is sampled) and its children, what the access log line and the metrics need (operation, consumer, client,
 * subgraph calls, error codes), and as the engine's {@link RequestStage} the stages of its execution. Made only
 * while some telemetry is on; written by the request's thread and (subgraph calls) its fetch threads.
 */
final class RequestTelemetry implements RequestStage {
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("graphql.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("graphql.operation.type");
    static final AttributeKey<String> DOCUMENT = AttributeKey.stringKey("graphql.document");
    static final AttributeKey<Boolean> PLAN_CACHE_HIT = AttributeKey.booleanKey("vestibule.plan.cache_hit");
    static final AttributeKey<Boolean> ANSWER_REUSED = AttributeKey.booleanKey("vestibule.answer.reused");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    final Telemetry telemetry;
    final long startNanos;
    final long startEpochMillis;
    final String method;
    final String scheme;
    final String clientName;
    final String clientVersion;
    /** The server span, recording: null unless tracing is on and this trace is sampled. */
    final Span server;
    /**
     * When tracing is on and this request's trace is not sampled: the client's parent it continues, or
     * {@link SpanContext#getInvalid()} for a new trace whose id's lower half is {@link #unsampledTraceLow}; else null.
     * Its trace context ({@link #unsampled()}) is made only when asked for: a request that joins an identical one in
     * flight (inbound de-duplication) never calls a subgraph, and without an access log nothing else asks.
     */
    private final SpanContext unsampledParent;
    private final long unsampledTraceLow;
    private UnsampledTrace unsampled; // guarded by this
    private volatile Map<String, String> unsampledHeaders;
    /** The execute stage's span, the parent of the fetch spans. */
    private volatile Span execute;

    String operationName;
    String operationType;
    String query;
    Map<String, Object> variables;
    String consumer;
    boolean planCacheHit;
    boolean reusedAnswer;
    /** The request's answer, known when the HTTP handler returns. */
    int status;
    long durationNanos;
    long requestBytes = -1;
    long responseBytes = -1;
    String requestId;
    String clientIp;
    String userAgent;
    Map<String, String> headers;
    /** Subgraph calls and error codes, kept only for the access log. */
    private final List<FetchRecord> fetches;
    private final List<String> errorCodes;

    RequestTelemetry(Telemetry telemetry, long startNanos, String method, String scheme, String clientName, String clientVersion,
                     Span server, SpanContext unsampledParent, long unsampledTraceLow) {
        this.telemetry = telemetry;
        this.startNanos = startNanos;
        this.startEpochMillis = telemetry.accessLog() != null ? System.currentTimeMillis() : 0;
        this.method = method;
        this.scheme = scheme;
        this.clientName = clientName;
        this.clientVersion = clientVersion;
        this.server = server;
        this.unsampledParent = unsampledParent;
        this.unsampledTraceLow = unsampledTraceLow;
        this.fetches = telemetry.accessLog() != null ? new ArrayList<>(4) : null;
        this.errorCodes = telemetry.accessLog() != null ? new ArrayList<>(0) : null;
    }

    /** One subgraph call of this request, for the access log. */
    record FetchRecord(String subgraph, double durationMs, int status, String joined, String errorCode) {}

    /** The request's trace and span id ("" when not traced). */
    String traceId() {
        if (server != null) return server.getSpanContext().getTraceId();
        UnsampledTrace trace = unsampled();
        return trace != null ? trace.traceId() : "";
    }

    String spanId() {
        if (server != null) return server.getSpanContext().getSpanId();
        UnsampledTrace trace = unsampled();
        return trace != null ? trace.spanIdHex() : "";
    }

    /** The trace context of this request when tracing is on and its trace is not sampled, made once (else null). */
    private synchronized UnsampledTrace unsampled() {
        if (unsampled == null && unsampledParent != null) {
            unsampled = unsampledParent.isValid() ? UnsampledTrace.under(unsampledParent) : UnsampledTrace.root(unsampledTraceLow);
        }
        return unsampled;
    }

    /** An exemplar for a histogram: this request's trace, when it is sampled and exemplars are on. */
    Labels exemplar(Span span) {
        if (span == null || !telemetry.exemplars()) return null;
        SpanContext context = span.getSpanContext();
        return Labels.of("span_id", context.getSpanId(), "trace_id", context.getTraceId());
    }

    /** A child span of the server span (null when this request is not sampled). */
    Span child(String name, Span parent, SpanKind kind) {
        if (parent == null) return null;
        return telemetry.tracer().spanBuilder(name).setParent(Context.root().with(parent)).setSpanKind(kind).startSpan();
    }

    static void end(Span span, Throwable failure) {
        if (span == null) return;
        if (failure != null) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(ERROR_TYPE, errorType(failure));
        }
        span.end();
    }

    static String errorType(Throwable failure) {
        if (failure instanceof RequestError error) {
            String code = codeOf(error.errors().isEmpty() ? null : error.errors().get(0));
            return code != null ? code : Integer.toString(error.status());
        }
        if (failure instanceof SubgraphFailure subgraph) return subgraph.code();
        return failure.getClass().getName();
    }

    static String codeOf(Map<String, Object> error) {
        return error != null && GraphQLErrors.code(error) instanceof String code ? code : null;
    }

    /** A stage whose end ends {@code span} (Stage.NONE when there is no span). */
    private static Stage spanStage(Span span) {
        return span == null ? Stage.NONE : failure -> end(span, failure);
    }

    // --- the engine's stages (RequestStage) ---

    /** Called by the observer as the engine begins the request (after the edge admitted it). */
    RequestStage begin(GraphQLRequest request) {
        this.query = request.query();
        this.operationName = request.operationName();
        if (telemetry.logsVariables()) this.variables = request.variables();
        return this;
    }

    @Override
    public Stage beginPrepare() {
        return spanStage(child("graphql.prepare", server, SpanKind.INTERNAL));
    }

    @Override
    public void prepared(PreparedOperation operation) {
        operationName = operation.name();
        operationType = switch (operation.kind()) {
            case QUERY -> "query";
            case MUTATION -> "mutation";
            case SUBSCRIPTION -> "subscription";
        };
        if (server != null) {
            server.setAttribute(OPERATION_TYPE, operationType);
            if (operationName != null) server.setAttribute(OPERATION_NAME, operationName);
            if (telemetry.recordsDocument() && query != null) server.setAttribute(DOCUMENT, query);
            server.updateName(telemetry.namesSpansByOperation() && operationName != null ? operationType + " " + operationName : operationType);
        }
    }

    @Override
    public Stage beginPlan(boolean cacheHit) {
        planCacheHit = cacheHit;
        RouterMetrics metrics = telemetry.metrics();
        if (metrics != null) metrics.plan(cacheHit);
        Span span = child("graphql.plan", server, SpanKind.INTERNAL);
        if (span != null) span.setAttribute(PLAN_CACHE_HIT, cacheHit);
        if (cacheHit || metrics == null) return spanStage(span);
        long start = System.nanoTime();
        return failure -> {
            metrics.planDuration((System.nanoTime() - start) / 1e9);
            end(span, failure);
        };
    }

    @Override
    public Stage beginExecute(QueryPlan plan) {
        Span span = child("graphql.execute", server, SpanKind.INTERNAL);
        execute = span;
        return spanStage(span);
    }

    @Override
    public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
        Span parent = execute != null ? execute : server;
        Span span = child("graphql.subgraph.fetch", parent, SpanKind.CLIENT);
        return new FetchTelemetry(this, subgraph, operationName, span);
    }

    @Override
    public Stage beginWrite(boolean reusedAnswer) {
        this.reusedAnswer = reusedAnswer;
        if (reusedAnswer) {
            if (telemetry.metrics() != null) telemetry.metrics().reusedAnswer();
            if (server != null) server.setAttribute(ANSWER_REUSED, true);
        }
        return Stage.NONE;
    }

    @Override
    public void error(Map<String, Object> error) {
        if (errorCodes == null) return;
        String code = codeOf(error);
        if (code != null) addErrorCode(code);
    }

    @Override
    public void end(Throwable failure) {
        if (failure instanceof RequestError error && errorCodes != null) {
            for (Map<String, Object> e : error.errors()) {
                String code = codeOf(e);
                if (code != null) addErrorCode(code);
            }
        }
    }

    // --- what the edge and the subgraph calls tell ---

    void addErrorCode(String code) {
        if (errorCodes == null) return;
        synchronized (errorCodes) {
            if (!errorCodes.contains(code)) errorCodes.add(code);
        }
    }

    void addFetch(FetchRecord fetch) {
        if (fetches == null) return;
        synchronized (fetches) {
            fetches.add(fetch);
        }
    }

    List<FetchRecord> fetches() {
        if (fetches == null) return List.of();
        synchronized (fetches) {
            return List.copyOf(fetches);
        }
    }

    List<String> errorCodes() {
        if (errorCodes == null) return List.of();
        synchronized (errorCodes) {
            return List.copyOf(errorCodes);
        }
    }

    /**
     * The propagation headers a subgraph call carries: {@code span}'s trace context when the call is traced, this
     * request's (not sampled) when tracing is on, else the request's own.
     */
    Map<String, String> propagation(Span span, Map<String, String> request) {
        if (span != null) return telemetry.inject(span.getSpanContext(), request);
        if (unsampledParent == null) return request;
        // made once per request: every subgraph call of an unsampled request carries the same trace context
        Map<String, String> headers = unsampledHeaders;
        if (headers == null) {
            headers = unsampled().headers();
            unsampledHeaders = headers;
        }
        return merged(request, headers);
    }

    static Map<String, String> merged(Map<String, String> request, Map<String, String> trace) {
        if (request.isEmpty()) return trace;
        Map<String, String> out = new HashMap<>(request);
        out.putAll(trace);
        return out;
    }
}
