package dev.vestibule.router.supergraph;

import java.util.List;
import java.util.Map;

/**
 * What the supergraph says about the cost of its fields (@cost weights on fields and types) and the sizes of its
 * lists (@listSize: an assumed size, or the arguments that slice the list), for the estimated-cost limit.
 */
public record DemandControl(Map<String, Integer> weights, Map<String, ListSize> listSizes) {
    public static final DemandControl NONE = new DemandControl(Map.of(), Map.of());

    public DemandControl {
        weights = Map.copyOf(weights);
        listSizes = Map.copyOf(listSizes);
    }

    public record ListSize(Integer assumedSize, List<String> slicingArguments) {
        public ListSize {
            slicingArguments = List.copyOf(slicingArguments);
        }
    }
}
