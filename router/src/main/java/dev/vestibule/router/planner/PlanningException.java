package dev.vestibule.router.planner;

/** An operation that is valid against the API schema but that no combination of subgraphs can answer. */
public final class PlanningException extends RuntimeException {
    public PlanningException(String message) {
        super(message);
    }
}
