package dev.vestibule.router.execution;

import dev.vestibule.router.json.JsonObject;
import dev.vestibule.router.planner.PlanNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The data fetched so far for one request and the errors met. Fetch threads synchronize on it. */
public final class ExecutionState {
    private final Map<String, Object> data = new JsonObject();
    private final List<Map<String, Object>> errors = new ArrayList<>();
    /** The answers merged into {@link #data} so far; read and extended under this object's lock, with the data. */
    private Lineage lineage = Lineage.EMPTY;
    /**
     * By object (identity), the response keys an entity fetch that failed was to fill there; null until one fails.
     * Under this object's lock. See {@link PlanExecutor}'s representation: a @requires field missing for this reason
     * is not one a condition left out.
     */
    private Map<Map<String, Object>, Set<String>> failedFields;

    /** The merged data: written by fetches under this object's lock, read when execution is over. */
    public Map<String, Object> data() {
        return data;
    }

    /** Call under this object's lock. */
    Lineage lineage() {
        return lineage;
    }

    /**
     * Call under this object's lock, when {@code node} has merged the answer of HTTP call {@code call} into the data;
     * {@code basis}: see {@link Lineage#then}.
     */
    void merged(PlanNode node, long call, Lineage basis) {
        lineage = lineage.then(node, call, basis);
    }

    /** Call under this object's lock: the entity fetch that was to fill {@code keys} in {@code object} failed. */
    void failed(Map<String, Object> object, List<String> keys) {
        if (failedFields == null) failedFields = new IdentityHashMap<>();
        failedFields.computeIfAbsent(object, k -> new HashSet<>()).addAll(keys);
    }

    /** Call under this object's lock: whether an entity fetch failed (see {@link #failed}). */
    boolean anyFailed() {
        return failedFields != null;
    }

    /** Call under this object's lock: the response keys failed fetches were to fill in {@code object} (see {@link #failed}). */
    Set<String> failedFields(Map<String, Object> object) {
        return failedFields == null ? Set.of() : failedFields.getOrDefault(object, Set.of());
    }

    synchronized void addError(Map<String, Object> error) {
        errors.add(error);
    }

    /** Whether an error was met (the errors' text may depend on the moment: such data is not like any other). */
    synchronized boolean hasErrors() {
        return !errors.isEmpty();
    }

    public synchronized List<Map<String, Object>> errors() {
        return List.copyOf(errors);
    }
}
