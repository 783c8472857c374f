package dev.vestibule.router.planner;

import dev.vestibule.router.planner.SubgraphCoverage.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Planning's third stage: the fetch graph, every subgraph request the plan will make (a {@link FetchGroup}) and what
 * each must wait for. The walk adds groups (entity fetches to one subgraph, type and path from one parent are one
 * group while the walk runs); the passes of {@link FetchGraphOptimizer} then merge and remove groups; the emitter
 * turns what is left into plan nodes.
 */
final class FetchGraph {
    /** Every group, in the order the walk made them (the plan lists fetches in this order within a stage). */
    final List<FetchGroup> groups = new ArrayList<>();
    private final Map<String, FetchGroup> entityGroups = new HashMap<>();
    /** Groups that must not take more work while their own @requires are planned (that would be a cycle). */
    final Set<FetchGroup> notReusable = new LinkedHashSet<>();
    /**
     * The types of the objects found at each response path the walk went down (a path reached under several type
     * conditions, {@code ... on A {x}} and {@code ... on B {x}}, has several): which objects a fetch at that path can
     * be asked for.
     */
    final Map<List<String>, Set<String>> pathTypes = new HashMap<>();
    private int nextId;

    FetchGroup newGroup(String subgraph, String type, List<String> path, boolean entity, String representationTypename,
                        FetchGroup parent) {
        FetchGroup group = new FetchGroup(nextId++, subgraph, type, path, entity, representationTypename, parent);
        groups.add(group);
        return group;
    }

    FetchGroup entityGroup(Target target, List<String> path, FetchGroup parent) {
        return entityGroup(target, path, parent, "");
    }

    FetchGroup entityGroup(Target target, List<String> path, FetchGroup parent, String variant) {
        String key = target.subgraph() + "|" + target.type() + "|" + target.representationTypename() + "|" + path + "|" + parent.id + variant;
        FetchGroup existing = entityGroups.get(key);
        if (existing != null && !notReusable.contains(existing)) return existing;
        FetchGroup created = newGroup(target.subgraph(), target.type(), path, true, target.representationTypename(), parent);
        if (existing == null) entityGroups.put(key, created);
        return created;
    }

    /**
     * Moves everything {@code from} asks for and needs into {@code into} and removes {@code from}: groups that waited
     * for it wait for {@code into}. The caller has checked that the two can be one request.
     */
    void merge(FetchGroup into, FetchGroup from) {
        into.absorb(from);
        groups.remove(from);
        for (FetchGroup group : groups) {
            if (group.dependsOn.remove(from) && group != into) group.dependsOn.add(into);
        }
        into.dependsOn.remove(into);
    }

    /** Removes a group nothing needs (an empty one): groups that waited for it wait for what it waited for. */
    void remove(FetchGroup removed) {
        groups.remove(removed);
        for (FetchGroup group : groups) {
            if (group.dependsOn.remove(removed)) {
                group.dependsOn.addAll(removed.dependsOn);
                group.dependsOn.remove(group);
            }
        }
    }

    /** Whether {@code later} waits, directly or through others, for {@code earlier}. */
    static boolean dependsOn(FetchGroup later, FetchGroup earlier) {
        return dependsOn(later, earlier, new HashSet<>());
    }

    private static boolean dependsOn(FetchGroup later, FetchGroup earlier, Set<FetchGroup> seen) {
        for (FetchGroup dependency : later.dependsOn) {
            if (dependency == earlier) return true;
            if (seen.add(dependency) && dependsOn(dependency, earlier, seen)) return true;
        }
        return false;
    }
}
