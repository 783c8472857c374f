package dev.vestibule.tests;

import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.Stage;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what tests ask the engine about: plan cache hits and misses, entity fetches that joined one in flight by
 * their data's lineage, answers reused as another request had written them.
 */
public final class CountingObserver implements GatewayObserver {
    private final LongAdder planHits = new LongAdder();
    private final LongAdder planMisses = new LongAdder();
    private final LongAdder joinedEntityFetches = new LongAdder();
    private final LongAdder reusedAnswers = new LongAdder();

    private final SubgraphCallStage call = new SubgraphCallStage() {
        @Override
        public void joined(Join join) {
            if (join == Join.ENTITY_FETCH) joinedEntityFetches.increment();
        }
    };

    private final RequestStage request = new RequestStage() {
        @Override
        public Stage beginPlan(boolean cacheHit) {
            (cacheHit ? planHits : planMisses).increment();
            return Stage.NONE;
        }

        @Override
        public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
            return call;
        }

        @Override
        public Stage beginWrite(boolean reusedAnswer) {
            if (reusedAnswer) reusedAnswers.increment();
            return Stage.NONE;
        }
    };

    @Override
    public RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
        return this.request;
    }

    public long planCacheHits() {
        return planHits.sum();
    }

    public long planCacheMisses() {
        return planMisses.sum();
    }

    /** Entity fetches that joined an identical one in flight before building their representations. */
    public long joinedEntityFetches() {
        return joinedEntityFetches.sum();
    }

    public long reusedAnswers() {
        return reusedAnswers.sum();
    }
}
