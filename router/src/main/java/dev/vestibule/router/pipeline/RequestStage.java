package dev.vestibule.router.pipeline;

import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import java.util.Map;

/**
 * One request as an observer sees it, from {@link GatewayObserver#beginRequest} to {@link #end}: the stages it goes
 * through, in this order, each begun and ended before the next (subgraph calls overlap, from several threads):
 * prepare (parse, validate, coerce), plan (cache hit or miss), execute (with its subgraph calls), write (or the reuse of
 * an answer already written), the errors of the answer, end. A request rejected on the way ends early with its
 * failure. This object is the observer's per-request state, if it keeps any; methods that may be called from the
 * request's fetch threads say so.
 */
public interface RequestStage extends Stage {
    /** Observes nothing: every method returns a constant and allocates nothing. */
    RequestStage NONE = new RequestStage() {};

    /** Parsing, validating and coercing the variables (through the document cache). */
    default Stage beginPrepare() {
        return Stage.NONE;
    }

    /** The operation prepared (told after {@link #beginPrepare}'s stage ended without failure): its type and name. */
    default void prepared(PreparedOperation operation) {}

    /** Planning; {@code cacheHit}: the plan was in the plan cache (the stage then ends at once). */
    default Stage beginPlan(boolean cacheHit) {
        return Stage.NONE;
    }

    /** Running {@code plan} against the subgraphs. */
    default Stage beginExecute(QueryPlan plan) {
        return Stage.NONE;
    }

    /**
     * One fetch of the plan: a call to {@code subgraph} with the operation {@code operationName} (the plan's name for
     * it). Called from the request's fetch threads, concurrently for the fetches of a Parallel node.
     */
    default SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
        return SubgraphCallStage.NONE;
    }

    /**
     * Writing the answer; {@code reusedAnswer}: another request that merged the same subgraph answers had written it
     * (see {@code WrittenAnswers}), and its bytes are sent (the stage then ends at once).
     */
    default Stage beginWrite(boolean reusedAnswer) {
        return Stage.NONE;
    }

    /** An error of the answer, as the client receives it (after writing; read-only). */
    default void error(Map<String, Object> error) {}

    @Override
    default void end(Throwable failure) {}
}
