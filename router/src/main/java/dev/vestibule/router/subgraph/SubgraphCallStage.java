package dev.vestibule.router.subgraph;

import java.util.Map;

/**
 * One fetch's subgraph call as an observer sees it (begun by {@code RequestStage.beginSubgraphCall}): whether it
 * joined an identical call in flight or went out, the HTTP status it got, how many entities it asked for, and its end.
 * Told from the thread that runs the fetch.
 */
public interface SubgraphCallStage {
    /** Observes nothing. */
    SubgraphCallStage NONE = new SubgraphCallStage() {};

    /** Where a fetch joined an identical one in flight instead of sending its own. */
    enum Join {
        /** An entity fetch of the same plan node over data of the same lineage, before building representations. */
        ENTITY_FETCH,
        /** An HTTP call with the same URL, body and forwarded headers. */
        HTTP_CALL
    }

    /** The fetch joined an identical one in flight: it got that one's answer (or failure), and sent nothing. */
    default void joined(Join join) {}

    /**
     * As {@link #joined(Join)}, with the stage of the fetch whose call this one joined (its leader, which sends the
     * call and whose answer this fetch gets; {@link #NONE} when unknown): a tracer links the two spans. Told instead
     * of {@link #joined(Join)}, which it calls unless overridden.
     */
    default void joined(Join join, SubgraphCallStage leader) {
        joined(join);
    }

    /**
     * The propagation headers the call this fetch sends carries, given the request's ({@code RequestContext}): a
     * tracer puts its fetch span's {@code traceparent} there. Asked once per call that goes out (never for a fetch that
     * joined one); the headers stay out of every de-duplication key.
     */
    default Map<String, String> propagationHeaders(Map<String, String> request) {
        return request;
    }

    /** An entity fetch: how many distinct representations its call asks for. */
    default void entities(int representations) {}

    /** The call went out and its answer came with this HTTP status (told whatever the status; not for a joined call). */
    default void answered(int status) {}

    /** The fetch is over: {@code failure} (a {@link SubgraphFailure}, with its code) or null when an answer came. */
    default void end(Throwable failure) {}
}
