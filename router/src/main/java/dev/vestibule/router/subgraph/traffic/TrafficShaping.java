package dev.vestibule.router.subgraph.traffic;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every subgraph's {@link TrafficPolicy}: {@code all} for the subgraphs not named, each named one's own (already merged
 * over {@code all} key by key when the config was read). {@link #NONE} changes nothing.
 */
public record TrafficShaping(TrafficPolicy all, Map<String, TrafficPolicy> subgraphs, Callers callers) {
    public static final TrafficShaping NONE = new TrafficShaping(TrafficPolicy.DEFAULTS, Map.of(), Callers.DEFAULTS);

    public TrafficShaping {
        subgraphs = Map.copyOf(subgraphs);
    }

    public TrafficShaping(TrafficPolicy all, Map<String, TrafficPolicy> subgraphs) {
        this(all, subgraphs, Callers.DEFAULTS);
    }

    /**
     * How a request's {@link Cohort} is found (config {@code traffic_shaping.callers}): its sticky key is the value of
     * {@code stickyHeader} when set and present, else the JWT subject; the variant it asks for (canary or primary) is
     * the value of {@code variantHeader} or of the claim {@code variantClaim} (null: callers cannot choose); the
     * progressive override labels enabled for everyone are {@code overrideLabels}, and a caller adds labels with
     * {@code labelsHeader} or the claim {@code labelsClaim} (comma-separated; null: callers cannot); a named label in
     * {@code labelPercents} is active for that share of the callers (sticky, like {@code percent(N)}, but changed in the
     * config rather than in the subgraph's schema).
     */
    public record Callers(String stickyHeader, String variantHeader, String variantClaim, Set<String> overrideLabels,
                          String labelsHeader, String labelsClaim, Map<String, Double> labelPercents) {
        public static final Callers DEFAULTS = new Callers(null, null, null, Set.of(), null, null, Map.of());

        public Callers {
            overrideLabels = Set.copyOf(overrideLabels);
            labelPercents = Map.copyOf(labelPercents);
        }
    }

    public TrafficPolicy forSubgraph(String subgraph) {
        return subgraphs.getOrDefault(subgraph, all);
    }

    /** Subgraph names with a policy of their own that are not in {@code known}: a typo the operator must hear about. */
    public Set<String> unknown(Set<String> known) {
        return subgraphs.keySet().stream().filter(name -> !known.contains(name)).collect(Collectors.toUnmodifiableSet());
    }
}
