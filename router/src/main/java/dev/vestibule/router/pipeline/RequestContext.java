package dev.vestibule.router.pipeline;

import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.subgraph.traffic.Cohort;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one request runs with, beside the request itself: who asks (its access decides what is planned), the headers
 * each subgraph receives, the propagation headers every subgraph call carries (trace context such as
 * {@code traceparent}: sent, but never part of what makes two calls the same, see {@code SubgraphCall}), the moment
 * ({@link System#nanoTime()}) by which the answer is due, and whether the plan goes into the answer's extensions
 * (development mode), where the caller falls in the traffic splits (canaries, progressive override labels), and
 * what the server's observers keep of the request ({@code observation}: telemetry's record of it, for the
 * {@link GatewayObserver}; opaque to the engine, null when nothing observes it).
 */
public record RequestContext(Caller caller, SubgraphHeaders subgraphHeaders, Map<String, String> propagationHeaders,
                             long deadlineNanos, boolean exposePlan, Cohort cohort, Object observation) {
    public RequestContext {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(subgraphHeaders, "subgraphHeaders");
        Objects.requireNonNull(propagationHeaders, "propagationHeaders");
        Objects.requireNonNull(cohort, "cohort");
    }

    /** Observed by nothing. */
    public RequestContext(Caller caller, SubgraphHeaders subgraphHeaders, Map<String, String> propagationHeaders,
                          long deadlineNanos, boolean exposePlan, Cohort cohort) {
        this(caller, subgraphHeaders, propagationHeaders, deadlineNanos, exposePlan, cohort, null);
    }

    /** In no traffic split's cohort of its own. */
    public RequestContext(Caller caller, SubgraphHeaders subgraphHeaders, Map<String, String> propagationHeaders,
                          long deadlineNanos, boolean exposePlan) {
        this(caller, subgraphHeaders, propagationHeaders, deadlineNanos, exposePlan, Cohort.NONE);
    }

    /** With no propagation headers. */
    public RequestContext(Caller caller, SubgraphHeaders subgraphHeaders, long deadlineNanos, boolean exposePlan) {
        this(caller, subgraphHeaders, Map.of(), deadlineNanos, exposePlan);
    }

    /** For {@code caller}, with {@code headers}, due {@code timeout} from now, the plan not exposed. */
    public static RequestContext of(Caller caller, SubgraphHeaders headers, Duration timeout) {
        return new RequestContext(caller, headers, System.nanoTime() + timeout.toNanos(), false);
    }
}
