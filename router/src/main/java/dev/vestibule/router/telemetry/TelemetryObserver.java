package dev.vestibule.router.telemetry;

import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.subgraph.traffic.TrafficObserver;

/**
 * Telemetry as the engine's observer: a request the engine begins is the {@link RequestTelemetry} the HTTP handler
 * made for it, handed over in its context ({@link RequestContext#observation()}). A request run in-process, with no
 * HTTP request around it, is not observed.
 */
final class TelemetryObserver implements GatewayObserver {
    private final TrafficObserver traffic;

    /** @param traffic what counts the traffic mechanisms' events (NONE without metrics) */
    TelemetryObserver(TrafficObserver traffic) {
        this.traffic = traffic;
    }

    @Override
    public TrafficObserver traffic() {
        return traffic;
    }

    @Override
    public RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
        return context.observation() instanceof RequestTelemetry current ? current.begin(request) : RequestStage.NONE;
    }
}
