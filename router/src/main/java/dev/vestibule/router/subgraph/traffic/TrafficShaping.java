package dev.vestibule.router.subgraph.traffic;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every subgraph's {@link TrafficPolicy}: {@code all} for the subgraphs not named, each named one's own (already merged
 * over {@code all} key by key when the config was read). {@link #NONE} changes nothing.
 */
public record TrafficShaping(TrafficPolicy all, Map<String, TrafficPolicy> subgraphs) {
    public static final TrafficShaping NONE = new TrafficShaping(TrafficPolicy.DEFAULTS, Map.of());

    public TrafficShaping {
        subgraphs = Map.copyOf(subgraphs);
    }

    public TrafficPolicy forSubgraph(String subgraph) {
        return subgraphs.getOrDefault(subgraph, all);
    }

    /** Subgraph names with a policy of their own that are not in {@code known}: a typo the operator must hear about. */
    public Set<String> unknown(Set<String> known) {
        return subgraphs.keySet().stream().filter(name -> !known.contains(name)).collect(Collectors.toUnmodifiableSet());
    }
}
