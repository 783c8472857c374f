package dev.vestibule.router.execution;

import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.planner.QueryPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Responses already written, by what they were written from. Merging is deterministic ({@link Lineage}): requests
 * that ran the same plan and merged the answers of the same subgraph calls hold equal data, and for equal
 * {@code @skip}/{@code @include} values the shaper writes the same bytes for them. Under load most requests for a
 * popular operation join subgraph calls already in flight, whoever the caller (UNIQUE_AUTH: 0.2-0.9 subgraph calls
 * per request, where a request alone makes 13), so the first of them writes the response and the others send its
 * bytes instead of shaping the same data again (docs/performance.md, session 10).
 *
 * <p>Only a response whose execution met no error and that answers no introspection is kept: an error's text can
 * depend on the moment (a timeout), and introspection is answered outside the plan. The caller's access needs no
 * place in the key, because a plan is made per access (its denied fields are part of it). A lineage names HTTP calls,
 * which no later request can join once they are over, so an answer is only found again shortly after it was written:
 * the few most recent ones are kept. Few, so that they die young: kept deeper, answers outlived the young
 * collections and filled the old generation, raising peak RSS under UNIQUE_AUTH (docs/performance.md, "Figures behind the code").
 *
 * <p>Invariants (docs/architecture.md): nothing but the executor's merges writes the data, and observers never
 * change an answer; the key holds every input of the shaper (plan, lineage, conditions); an answer whose bytes depend
 * on anything else (an error, introspection, the exposed plan, a per-request extension) is never kept; streamed
 * answers bypass this.
 */
public final class WrittenAnswers {
    private final int maxAnswers;
    private final int maxAnswerBytes;
    /** In the order they were written; the oldest goes when there are more than {@code maxAnswers}. */
    private final LinkedHashMap<Key, JsonBytes> answers;

    /** Keeps the latest {@code maxAnswers} answers (0: none) of at most {@code maxAnswerBytes} each. */
    public WrittenAnswers(int maxAnswers, int maxAnswerBytes) {
        this.maxAnswers = maxAnswers;
        this.maxAnswerBytes = maxAnswerBytes;
        this.answers = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, JsonBytes> eldest) {
                return size() > maxAnswers;
            }
        };
    }

    /**
     * What a response is written from: a plan (by identity: cached plans are shared objects), the data's lineage and
     * the @skip/@include values. Made by {@link #keyOf}, once per request, for both {@link #find} and {@link #keep}.
     */
    public record Key(QueryPlan plan, Lineage lineage, Map<String, Object> conditions) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.plan == plan && k.lineage.equals(lineage) && k.conditions.equals(conditions);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(plan) * 31 + lineage.hashCode()) * 31 + conditions.hashCode();
        }
    }

    /**
     * The key of the response written for {@code state}'s data, fetched by {@code plan} and shaped with
     * {@code conditions}; null when no response is kept ({@code maxAnswers} 0) or {@code state} met an error.
     * Call it once execution is over.
     */
    public Key keyOf(QueryPlan plan, ExecutionState state, Map<String, Object> conditions) {
        if (maxAnswers <= 0) return null;
        Lineage lineage;
        synchronized (state) {
            if (state.hasErrors()) return null;
            lineage = state.lineage();
        }
        return new Key(plan, lineage, conditions);
    }

    /** The response already written for {@code key}; null when there is none. */
    public JsonBytes find(Key key) {
        synchronized (this) {
            return answers.get(key);
        }
    }

    /** Keeps {@code answer}, written for {@code key}, unless it is too large. */
    public void keep(Key key, JsonBytes answer) {
        if (answer.length() > maxAnswerBytes) return;
        synchronized (this) {
            answers.put(key, answer);
        }
    }
}
