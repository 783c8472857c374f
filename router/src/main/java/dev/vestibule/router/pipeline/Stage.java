package dev.vestibule.router.pipeline;

/**
 * One stage of a request as an observer sees it: begun by a {@code begin*} method of {@link RequestStage}, ended once
 * by {@link #end}. Observers watch; they never change what the stage does or produces.
 */
@FunctionalInterface
public interface Stage {
    /** What {@code begin*} returns when nobody observes: ending it does nothing. */
    Stage NONE = failure -> {};

    /** The stage is over: {@code failure} is what ended it early (a RequestError, a SubgraphFailure...), or null. */
    void end(Throwable failure);
}
