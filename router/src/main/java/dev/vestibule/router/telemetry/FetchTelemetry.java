package dev.vestibule.router.telemetry;

import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.Map;

/**
 * One fetch of a request as telemetry sees it: its span (kind CLIENT, a child of the execute span, when the trace is
 * sampled), the trace context its call carries, whether it joined another fetch's call (then the two spans are linked
 * both ways: the joiner to the call it got its answer from, the leader to each fetch it served), its status and
 * entities, and at its end the subgraph metrics and the access log's entry. Told from the fetch's thread.
 */
final class FetchTelemetry implements SubgraphCallStage {
    static final AttributeKey<String> SUBGRAPH = AttributeKey.stringKey("subgraph.name");
    static final AttributeKey<String> SUBGRAPH_OPERATION = AttributeKey.stringKey("subgraph.graphql.operation.name");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> ENTITIES = AttributeKey.longKey("vestibule.entities");
    static final AttributeKey<String> JOINED = AttributeKey.stringKey("vestibule.joined");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");

    private final RequestTelemetry request;
    private final String subgraph;
    private final Span span;
    private final long startNanos = System.nanoTime();
    private Join joined;
    private int status;

    FetchTelemetry(RequestTelemetry request, String subgraph, String operationName, Span span) {
        this.request = request;
        this.subgraph = subgraph;
        this.span = span;
        if (span != null) {
            span.setAttribute(SUBGRAPH, subgraph);
            span.setAttribute(METHOD, "POST");
            if (operationName != null) span.setAttribute(SUBGRAPH_OPERATION, operationName);
        }
    }

    private static String label(Join join) {
        return join == Join.ENTITY_FETCH ? "entity_fetch" : "http_call";
    }

    @Override
    public void joined(Join join, SubgraphCallStage leader) {
        joined = join;
        RouterMetrics metrics = request.telemetry.metrics();
        if (metrics != null) metrics.joined(subgraph, join == Join.ENTITY_FETCH);
        if (span != null) {
            span.setAttribute(JOINED, label(join));
            if (leader instanceof FetchTelemetry lead && lead.span != null) {
                span.addLink(lead.span.getSpanContext());
                lead.span.addLink(span.getSpanContext()); // ignored by the SDK if the leader's span has ended already
            }
        }
    }

    @Override
    public void entities(int representations) {
        if (span != null) span.setAttribute(ENTITIES, representations);
    }

    @Override
    public void answered(int status) {
        this.status = status;
        if (span != null) span.setAttribute(STATUS, status);
    }

    @Override
    public Map<String, String> propagationHeaders(Map<String, String> requestHeaders) {
        return request.propagation(span, requestHeaders);
    }

    @Override
    public void end(Throwable failure) {
        long nanos = System.nanoTime() - startNanos;
        String code = failure instanceof SubgraphFailure f ? f.code() : failure == null ? null : RequestTelemetry.errorType(failure);
        RouterMetrics metrics = request.telemetry.metrics();
        if (metrics != null) {
            // a joined fetch sent no call: only calls that went out are HTTP client calls
            if (joined == null) metrics.subgraphCall(subgraph, status, code, nanos / 1e9, request.exemplar(span));
            if (code != null) metrics.subgraphFailure(subgraph, code);
        }
        RequestTelemetry.end(span, failure);
        if (request.telemetry.accessLog() != null) request.addFetch(new RequestTelemetry.FetchRecord(subgraph, nanos / 1e6, status, joined == null ? null : label(joined), code));
    }
}
