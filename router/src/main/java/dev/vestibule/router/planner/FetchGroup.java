package dev.vestibule.router.planner;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The work planned for one subgraph request while the plan is being built: a root fetch (at the root type) or an
 * entity fetch (objects of entityType found at path), what it selects, what its representations carry, and the
 * groups whose results it needs first.
 */
final class FetchGroup {
    final int id;
    final String subgraph;
    /** Root type name for a root fetch; for an entity fetch the type of _entities' fragment in the subgraph. */
    final String entityType;
    final List<String> path;
    final boolean entityFetch;
    final String representationTypename;
    final FetchGroup parent;
    final SelectionBuilder selection = new SelectionBuilder();
    final SelectionBuilder requires = new SelectionBuilder();
    /** The key part of {@link #requires}: a representation whose key has a null is never sent. */
    final SelectionBuilder keys = new SelectionBuilder();
    final Set<FetchGroup> dependsOn = new LinkedHashSet<>();
    /** Arguments of the fields with arguments that this fetch's representations carry, by path of field names. */
    final Map<String, String> requiredArguments = new HashMap<>();

    FetchGroup(int id, String subgraph, String entityType, List<String> path, boolean entityFetch,
               String representationTypename, FetchGroup parent) {
        this.id = id;
        this.subgraph = subgraph;
        this.entityType = entityType;
        this.path = List.copyOf(path);
        this.entityFetch = entityFetch;
        this.representationTypename = representationTypename;
        this.parent = parent;
        if (parent != null) dependsOn.add(parent);
    }

    /** The selection inside `_entities { ... on entityType { } }`, or the root selection. */
    SelectionBuilder body() {
        return entityFetch ? selection.fragment(entityType) : selection;
    }
}
