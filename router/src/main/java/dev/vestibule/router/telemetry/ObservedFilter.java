package dev.vestibule.router.telemetry;

import dev.vestibule.router.middleware.AuthenticationFilter;
import dev.vestibule.router.middleware.Decision;
import dev.vestibule.router.middleware.EdgeFilter;
import dev.vestibule.router.middleware.EdgeRequest;
import dev.vestibule.router.middleware.Identity;
import dev.vestibule.router.middleware.PersistedOperationsFilter;
import dev.vestibule.router.middleware.RateLimitFilter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

/**
 * An edge filter as telemetry sees it: the filter runs unchanged, and what it decided is counted (refusals by
 * authentication, rate limits, persisted operations), noted for the access log (the refusal's code, the consumer
 * authentication found, the operation's name) and, for authentication and rate limits of a sampled request, traced
 * as a span. A filter with none of that to do (CORS, CSRF, persisted operations before admission) looks the request's
 * telemetry up only when it refuses.
 */
final class ObservedFilter implements EdgeFilter {
    static final AttributeKey<String> CODE = AttributeKey.stringKey("vestibule.edge.code");

    enum Kind { AUTHENTICATION, RATE_LIMIT, PERSISTED_OPERATIONS, OTHER }

    private final EdgeFilter filter;
    private final Kind kind;
    private final RouterMetrics metrics;

    ObservedFilter(EdgeFilter filter, RouterMetrics metrics) {
        this.filter = filter;
        this.metrics = metrics;
        this.kind = switch (filter) {
            case AuthenticationFilter a -> Kind.AUTHENTICATION;
            case RateLimitFilter r -> Kind.RATE_LIMIT;
            case PersistedOperationsFilter p -> Kind.PERSISTED_OPERATIONS;
            default -> Kind.OTHER;
        };
    }

    @Override
    public Phase phase() {
        return filter.phase();
    }

    @Override
    public Decision apply(EdgeRequest request) {
        if (kind != Kind.AUTHENTICATION && kind != Kind.RATE_LIMIT && filter.phase() != Phase.ADMISSION) {
            // no span and nothing to note unless it refuses
            Decision decision = filter.apply(request);
            if (decision instanceof Decision.Reject reject) {
                if (request.observation() instanceof RequestTelemetry telemetry) rejected(telemetry, request, reject, null);
            }
            return decision;
        }
        if (!(request.observation() instanceof RequestTelemetry telemetry)) return filter.apply(request);
        Span span = switch (kind) {
            case AUTHENTICATION -> telemetry.child("vestibule.authenticate", telemetry.server, SpanKind.INTERNAL);
            case RATE_LIMIT -> telemetry.child("vestibule.rate_limit", telemetry.server, SpanKind.INTERNAL);
            default -> null;
        };
        Decision decision;
        try {
            decision = filter.apply(request);
        } catch (RuntimeException | Error e) {
            RequestTelemetry.end(span, e);
            throw e;
        }
        // the operation is known by the admission phase: a request that never reaches the engine (refused, or answered
        // by an identical one in flight) is still logged and counted under its operation's name
        noteOperation(telemetry, request);
        if (kind == Kind.AUTHENTICATION) {
            Identity identity = request.identity();
            if (identity != null) telemetry.consumer = identity.consumer() != null ? identity.consumer() : identity.subject();
        }
        if (decision instanceof Decision.Reject reject) rejected(telemetry, request, reject, span);
        if (span != null) span.end();
        return decision;
    }

    private static void noteOperation(RequestTelemetry telemetry, EdgeRequest request) {
        if (telemetry.operationName == null && request.operation() != null) telemetry.operationName = request.operation().operationName();
    }

    /** A refusal: counted, its code noted for the access log, and the operation's name kept (the engine never saw it). */
    private void rejected(RequestTelemetry telemetry, EdgeRequest request, Decision.Reject reject, Span span) {
        noteOperation(telemetry, request);
        telemetry.addErrorCode(reject.code());
        if (metrics != null) {
            switch (kind) {
                case AUTHENTICATION -> metrics.authenticationRejected(reject.code());
                case RATE_LIMIT -> metrics.rateLimited(reject.code());
                case PERSISTED_OPERATIONS -> metrics.persistedOperationMissed(reject.code());
                case OTHER -> {}
            }
        }
        if (span != null) {
            span.setAttribute(CODE, reject.code());
            span.setStatus(StatusCode.ERROR);
        }
    }
}
