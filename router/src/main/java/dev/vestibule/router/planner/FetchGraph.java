package dev.vestibule.router.planner;

import dev.vestibule.router.planner.SubgraphCoverage.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

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
        // A group that must not take more work now (its own @requires are being planned) gets a stand-in, kept under
        // a key of its own: a field asked twice ({ feed { byNovice } feed { byNovice } }) finds the same stand-in
        // again rather than planning its requirements into a new group each time.
        List<FetchGroup> usable = new ArrayList<>();
        int standIn = 0;
        for (; ; standIn++) {
            FetchGroup existing = entityGroups.get(standIn == 0 ? key : key + "~" + standIn);
            if (existing == null) break;
            if (!notReusable.contains(existing) && !waitsForNotReusable(existing)) usable.add(existing);
        }
        if (usable.isEmpty()) {
            FetchGroup created = newGroup(target.subgraph(), target.type(), path, true, target.representationTypename(), parent);
            entityGroups.put(standIn == 0 ? key : key + "~" + standIn, created);
            return created;
        }
        if (target.hasRequires() || usable.size() == 1) return usable.get(0);
        // A field without @requires goes to the earliest of them (a stand-in made for another field's requirements
        // runs before that field's fetch): { feed { byNovice author { name } } } asks author where the requirement's
        // author is asked, and its name where the requirement's yearsOfExperience is, as Apollo's planner does.
        Map<FetchGroup, Integer> depths = new HashMap<>();
        FetchGroup earliest = usable.get(0);
        for (FetchGroup candidate : usable) {
            if (PlanEmitter.depth(candidate, depths, new LinkedHashSet<>()) < PlanEmitter.depth(earliest, depths, new LinkedHashSet<>())) {
                earliest = candidate;
            }
        }
        return earliest;
    }

    /** Whether the group waits for one whose @requires are being planned: it cannot serve that one's requirements. */
    private boolean waitsForNotReusable(FetchGroup group) {
        for (FetchGroup blocked : notReusable) if (dependsOn(group, blocked)) return true;
        return false;
    }

    /**
     * Merges the first pair of entity fetches to one subgraph in the same stage that {@code mergeable} accepts (in the
     * groups' order) and says whether it found one: the loop the merging passes share, each with its own test.
     */
    boolean mergeFirstSameStagePair(BiPredicate<FetchGroup, FetchGroup> mergeable) {
        FetchGroup[] pair = firstSameStagePair((a, b) -> a.batched.isEmpty() && b.batched.isEmpty() && mergeable.test(a, b));
        if (pair == null) return false;
        merge(pair[0], pair[1]);
        return true;
    }

    /**
     * Batches the first pair of entity fetches to one subgraph in the same stage that {@code batchable} accepts (in
     * the groups' order) and says whether it found one (see {@link #batch}).
     */
    boolean batchFirstSameStagePair(BiPredicate<FetchGroup, FetchGroup> batchable) {
        FetchGroup[] pair = firstSameStagePair(batchable);
        if (pair == null) return false;
        batch(pair[0], pair[1]);
        return true;
    }

    private FetchGroup[] firstSameStagePair(BiPredicate<FetchGroup, FetchGroup> accepted) {
        Map<FetchGroup, Integer> depths = new HashMap<>();
        for (FetchGroup group : groups) PlanEmitter.depth(group, depths, new LinkedHashSet<>());
        for (int i = 0; i < groups.size(); i++) {
            FetchGroup a = groups.get(i);
            if (!a.entityFetch) continue;
            for (int j = i + 1; j < groups.size(); j++) {
                FetchGroup b = groups.get(j);
                if (b.entityFetch && a.subgraph.equals(b.subgraph) && depths.get(a).equals(depths.get(b)) && accepted.test(a, b)) {
                    return new FetchGroup[] {a, b};
                }
            }
        }
        return null;
    }

    /**
     * Sends {@code from} (and the fetches it batches) in {@code into}'s request, each still an entity fetch of its own
     * (its own representations and answer), and removes it from the graph: the request waits for what both waited
     * for, and groups that waited for {@code from} wait for it. Both are in the same stage, so no fetch changes stage.
     */
    void batch(FetchGroup into, FetchGroup from) {
        into.batched.add(from);
        into.batched.addAll(from.batched);
        from.batched.clear();
        into.dependsOn.addAll(from.dependsOn);
        groups.remove(from);
        for (FetchGroup group : groups) {
            if (group.dependsOn.remove(from) && group != into) group.dependsOn.add(into);
        }
        into.dependsOn.remove(into);
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
