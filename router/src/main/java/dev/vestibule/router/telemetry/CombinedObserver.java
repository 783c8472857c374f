package dev.vestibule.router.telemetry;

import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.Stage;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.traffic.CircuitBreaker;
import dev.vestibule.router.subgraph.traffic.TrafficObserver;
import java.time.Duration;
import java.util.Map;

/**
 * Two observers told the same (an embedder's or a test's, then telemetry): each stage is begun on both and ended on
 * both. A subgraph call's propagation headers are the second's (telemetry's trace context) given the first's.
 */
final class CombinedObserver implements GatewayObserver {
    private final GatewayObserver first;
    private final GatewayObserver second;

    CombinedObserver(GatewayObserver first, GatewayObserver second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public TrafficObserver traffic() {
        TrafficObserver a = first.traffic();
        TrafficObserver b = second.traffic();
        if (a == TrafficObserver.NONE) return b;
        if (b == TrafficObserver.NONE) return a;
        return new BothTraffic(a, b);
    }

    /** The traffic events told to both observers. */
    private record BothTraffic(TrafficObserver a, TrafficObserver b) implements TrafficObserver {
        @Override public void retried(String subgraph, int attempt, String reason) { a.retried(subgraph, attempt, reason); b.retried(subgraph, attempt, reason); }
        @Override public void retryBudgetExhausted(String subgraph) { a.retryBudgetExhausted(subgraph); b.retryBudgetExhausted(subgraph); }
        @Override public void circuitChanged(String subgraph, CircuitBreaker.State from, CircuitBreaker.State to) { a.circuitChanged(subgraph, from, to); b.circuitChanged(subgraph, from, to); }
        @Override public void circuitRejected(String subgraph) { a.circuitRejected(subgraph); b.circuitRejected(subgraph); }
        @Override public void bulkheadRejected(String subgraph) { a.bulkheadRejected(subgraph); b.bulkheadRejected(subgraph); }
        @Override public void instanceEjected(String subgraph, int instance, Duration ejection) { a.instanceEjected(subgraph, instance, ejection); b.instanceEjected(subgraph, instance, ejection); }
        @Override public void instanceRestored(String subgraph, int instance) { a.instanceRestored(subgraph, instance); b.instanceRestored(subgraph, instance); }
        @Override public void instanceUnhealthy(String subgraph, int instance) { a.instanceUnhealthy(subgraph, instance); b.instanceUnhealthy(subgraph, instance); }
        @Override public void instanceHealthy(String subgraph, int instance) { a.instanceHealthy(subgraph, instance); b.instanceHealthy(subgraph, instance); }
        @Override public void canaryCall(String subgraph) { a.canaryCall(subgraph); b.canaryCall(subgraph); }
        @Override public void shadowCompared(String subgraph, String outcome) { a.shadowCompared(subgraph, outcome); b.shadowCompared(subgraph, outcome); }
        @Override public void shadowSkipped(String subgraph) { a.shadowSkipped(subgraph); b.shadowSkipped(subgraph); }
    }

    @Override
    public RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
        RequestStage a = first.beginRequest(request, context);
        RequestStage b = second.beginRequest(request, context);
        if (a == RequestStage.NONE) return b;
        if (b == RequestStage.NONE) return a;
        return new Both(a, b);
    }

    private static Stage both(Stage a, Stage b) {
        if (a == Stage.NONE) return b;
        if (b == Stage.NONE) return a;
        return failure -> {
            a.end(failure);
            b.end(failure);
        };
    }

    private record Both(RequestStage a, RequestStage b) implements RequestStage {
        @Override
        public Stage beginPrepare() {
            return both(a.beginPrepare(), b.beginPrepare());
        }

        @Override
        public void prepared(PreparedOperation operation) {
            a.prepared(operation);
            b.prepared(operation);
        }

        @Override
        public Stage beginPlan(boolean cacheHit) {
            return both(a.beginPlan(cacheHit), b.beginPlan(cacheHit));
        }

        @Override
        public Stage beginExecute(QueryPlan plan) {
            return both(a.beginExecute(plan), b.beginExecute(plan));
        }

        @Override
        public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
            SubgraphCallStage x = a.beginSubgraphCall(subgraph, operationName);
            SubgraphCallStage y = b.beginSubgraphCall(subgraph, operationName);
            if (x == SubgraphCallStage.NONE) return y;
            if (y == SubgraphCallStage.NONE) return x;
            return new BothCalls(x, y);
        }

        @Override
        public Stage beginWrite(boolean reusedAnswer) {
            return both(a.beginWrite(reusedAnswer), b.beginWrite(reusedAnswer));
        }

        @Override
        public void error(Map<String, Object> error) {
            a.error(error);
            b.error(error);
        }

        @Override
        public void end(Throwable failure) {
            a.end(failure);
            b.end(failure);
        }
    }

    private record BothCalls(SubgraphCallStage a, SubgraphCallStage b) implements SubgraphCallStage {
        @Override
        public void joined(Join join, SubgraphCallStage leader) {
            // each side is told its own part of the leader (the leader may be combined too, or one side's own)
            if (leader instanceof BothCalls both) {
                a.joined(join, both.a);
                b.joined(join, both.b);
            } else {
                a.joined(join, leader);
                b.joined(join, leader);
            }
        }

        @Override
        public void entities(int representations) {
            a.entities(representations);
            b.entities(representations);
        }

        @Override
        public void answered(int status) {
            a.answered(status);
            b.answered(status);
        }

        @Override
        public Map<String, String> propagationHeaders(Map<String, String> request) {
            return b.propagationHeaders(a.propagationHeaders(request));
        }

        @Override
        public void end(Throwable failure) {
            a.end(failure);
            b.end(failure);
        }
    }
}
