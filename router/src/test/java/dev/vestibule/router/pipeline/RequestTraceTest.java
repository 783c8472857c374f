package dev.vestibule.router.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The explorer's trace records a request's stages and fetches, and tells the observer stage it wraps everything it is
 * told, as it would be told without the trace: a tracer's joined fetch is linked to its own stage of the leader.
 */
class RequestTraceTest {

    /** What an observer was told, in order; its fetch stages are its own objects. */
    private static final class Recording implements RequestStage {
        final List<String> told = new ArrayList<>();

        @Override
        public Stage beginPrepare() {
            told.add("prepare");
            return failure -> told.add("prepare end");
        }

        @Override
        public Stage beginPlan(boolean cacheHit) {
            told.add("plan " + cacheHit);
            return failure -> told.add("plan end");
        }

        @Override
        public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
            told.add("call " + subgraph);
            return new Call(this, subgraph);
        }

        @Override
        public void end(Throwable failure) {
            told.add("end");
        }
    }

    private record Call(Recording owner, String subgraph) implements SubgraphCallStage {
        @Override
        public void joined(Join join, SubgraphCallStage leader) {
            owner.told.add(subgraph + " joined " + join + (leader instanceof Call c ? " led by " + c.subgraph : " led by a stranger"));
        }

        @Override
        public Map<String, String> propagationHeaders(Map<String, String> request) {
            return Map.of("traceparent", "from " + subgraph);
        }

        @Override
        public void entities(int representations) {
            owner.told.add(subgraph + " entities " + representations);
        }

        @Override
        public void answered(int status) {
            owner.told.add(subgraph + " status " + status);
        }

        @Override
        public void end(Throwable failure) {
            owner.told.add(subgraph + " end" + (failure == null ? "" : " failed"));
        }
    }

    @Test
    void recordsTheStagesAndFetchesAndTellsTheObserverAllOfIt() {
        Recording observer = new Recording();
        RequestTrace trace = new RequestTrace(observer);
        trace.beginPrepare().end(null);
        trace.beginPlan(true).end(null);
        trace.beginExecute(null).end(null);

        SubgraphCallStage products = trace.beginSubgraphCall("products", "Op__products__0");
        assertThat(products.propagationHeaders(Map.of())).containsEntry("traceparent", "from products");
        products.answered(200);
        products.end(null);

        SubgraphCallStage inventory = trace.beginSubgraphCall("inventory", "Op__inventory__1");
        inventory.entities(3);
        inventory.answered(500);
        inventory.end(new SubgraphFailure("SUBGRAPH_HTTP_ERROR", "HTTP 500 from http://10.0.0.7:4003/graphql", null));

        // a fetch that joins another traced request's fetch: the observer hears of its own stage of the leader
        Recording otherObserver = new Recording();
        SubgraphCallStage leader = new RequestTrace(otherObserver).beginSubgraphCall("reviews", "Op__reviews__2");
        SubgraphCallStage joining = trace.beginSubgraphCall("reviews", "Op__reviews__2");
        joining.joined(SubgraphCallStage.Join.ENTITY_FETCH, leader);
        joining.end(null);
        trace.end(null);

        assertThat(observer.told).containsExactly("prepare", "prepare end", "plan true", "plan end", "call products",
                "products status 200", "products end", "call inventory", "inventory entities 3", "inventory status 500",
                "inventory end failed", "call reviews", "reviews joined ENTITY_FETCH led by reviews", "reviews end", "end");

        Map<String, Object> json = trace.toJson();
        assertThat(json).containsKeys("durationMs", "prepare", "plan", "execute", "fetches");
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) json.get("plan");
        assertThat(plan).containsEntry("cacheHit", true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fetches = (List<Map<String, Object>>) json.get("fetches");
        assertThat(fetches).extracting(f -> f.get("service")).containsExactly("products", "inventory", "reviews");
        assertThat(fetches.get(0)).containsEntry("status", 200).doesNotContainKeys("entities", "joined", "error");
        assertThat(fetches.get(1)).containsEntry("entities", 3).containsEntry("status", 500).containsEntry("error", "SUBGRAPH_HTTP_ERROR");
        assertThat(fetches.get(2)).containsEntry("joined", "ENTITY_FETCH").containsEntry("operationName", "Op__reviews__2");
        for (Map<String, Object> fetch : fetches) {
            assertThat((double) fetch.get("durationMs")).isGreaterThanOrEqualTo(0);
        }
        // the failure's message (with the subgraph's address) stays out
        assertThat(json.toString()).doesNotContain("10.0.0.7", "HTTP 500 from");
    }
}
