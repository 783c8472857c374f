package dev.vestibule.router.planner;

import java.util.List;
import java.util.Objects;

/**
 * Entity fetches to one subgraph for the objects at one path, each for another object type (members of a union,
 * implementations of an interface, each reached through its own key jump), after the same fetches: one request whose
 * selection has a fragment per type, as Apollo's and Hive's planners send it. Each object still matches only its own
 * type's fragment in the keys and requires, so the representations are those the separate fetches sent.
 */
final class MergeUnionMemberFetches implements FetchGraphPass {
    private final SubgraphCoverage coverage;

    MergeUnionMemberFetches(SubgraphCoverage coverage) {
        this.coverage = coverage;
    }

    @Override
    public boolean apply(FetchGraph graph) {
        List<FetchGroup> groups = graph.groups;
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                if (mergeable(groups.get(i), groups.get(j))) {
                    graph.merge(groups.get(i), groups.get(j));
                    return true;
                }
            }
        }
        return false;
    }

    private boolean mergeable(FetchGroup a, FetchGroup b) {
        if (!a.entityFetch || !b.entityFetch || !a.subgraph.equals(b.subgraph) || !a.paths().equals(b.paths())) return false;
        if (!Objects.equals(a.representationTypename, b.representationTypename) || !a.dependsOn.equals(b.dependsOn)) return false;
        List<String> typesOfA = a.types();
        List<String> typesOfB = b.types();
        // object types only: an object matches one of them at most, so it gets the representation its own fetch made
        for (String type : typesOfA) if (typesOfB.contains(type) || !coverage.isObjectType(type)) return false;
        for (String type : typesOfB) if (!coverage.isObjectType(type)) return false;
        return a.argumentsAgree(b);
    }
}
