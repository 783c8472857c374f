package dev.vestibule.router.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The work planned for one subgraph request while the plan is being built: a root fetch (at the root type) or an
 * entity fetch (objects of entityType found at path), what it selects, what its representations carry, and the
 * groups whose results it needs first. After the passes an entity fetch may stand for several: objects of several
 * types (one typed fragment each in its selection, keys and requires) and objects at several paths.
 */
final class FetchGroup {
    final int id;
    final String subgraph;
    /** Root type name for a root fetch; for an entity fetch the type of _entities' fragment in the subgraph. */
    final String entityType;
    final List<String> path;
    /** Paths besides {@link #path} whose objects this entity fetch is for (fetches merged by a pass). */
    final List<List<String>> otherPaths = new ArrayList<>();
    final boolean entityFetch;
    final String representationTypename;
    final FetchGroup parent;
    final SelectionBuilder selection = new SelectionBuilder();
    final SelectionBuilder requires = new SelectionBuilder();
    /** The key part of {@link #requires}: a representation whose key has a null is never sent. */
    final SelectionBuilder keys = new SelectionBuilder();
    final Set<FetchGroup> dependsOn = new LinkedHashSet<>();
    /**
     * Entity fetches to the same subgraph in the same stage sent in this one's request, each as an {@code _entities}
     * field of its own ({@link BatchEntityFetches}); empty for a fetch sent alone.
     */
    final List<FetchGroup> batched = new ArrayList<>();
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

    /** Every response path whose objects this entity fetch is for, the first one first. */
    List<List<String>> paths() {
        if (otherPaths.isEmpty()) return List.of(path);
        List<List<String>> all = new ArrayList<>(1 + otherPaths.size());
        all.add(path);
        all.addAll(otherPaths);
        return all;
    }

    /** The type conditions of the fragments of this entity fetch's selection, keys and requires. */
    List<String> types() {
        Set<String> types = new LinkedHashSet<>(selection.typeConditions());
        types.addAll(keys.typeConditions());
        types.addAll(requires.typeConditions());
        return List.copyOf(types);
    }

    /** Whether this fetch and {@code other} ask the same of objects of {@code type}: keys, requires and selection. */
    boolean asksAlike(FetchGroup other, String type) {
        return printed(selection, type).equals(printed(other.selection, type)) && printed(keys, type).equals(printed(other.keys, type))
                && printed(requires, type).equals(printed(other.requires, type));
    }

    /** Whether this fetch and {@code other} build the same representations of objects of {@code type}: keys and requires. */
    boolean carriesAlike(FetchGroup other, String type) {
        return printed(keys, type).equals(printed(other.keys, type)) && printed(requires, type).equals(printed(other.requires, type));
    }

    /** What a representation carries, per type condition of the keys and requires: the distinct fragments' contents. */
    Set<String> carriedShapes() {
        Set<String> shapes = new LinkedHashSet<>();
        Set<String> types = new LinkedHashSet<>(keys.typeConditions());
        types.addAll(requires.typeConditions());
        for (String type : types) shapes.add(printed(keys, type) + "=>" + printed(requires, type));
        return shapes;
    }

    private static String printed(SelectionBuilder builder, String type) {
        SelectionBuilder fragment = builder.fragmentOrNull(type);
        return fragment == null ? "" : SelectionPrinter.compact(fragment.freeze());
    }

    /** Whether a field both fetches' representations carry has the same arguments in both. */
    boolean argumentsAgree(FetchGroup other) {
        for (Map.Entry<String, String> entry : requiredArguments.entrySet()) {
            String theirs = other.requiredArguments.get(entry.getKey());
            if (theirs != null && !theirs.equals(entry.getValue())) return false;
        }
        return true;
    }

    /** Takes over what {@code other} asks for, carries and waits for (see {@link FetchGraph#merge}). */
    void absorb(FetchGroup other) {
        selection.addAll(other.selection);
        requires.addAll(other.requires);
        keys.addAll(other.keys);
        requiredArguments.putAll(other.requiredArguments);
        dependsOn.addAll(other.dependsOn);
        dependsOn.remove(this);
        dependsOn.remove(other);
        List<List<String>> mine = paths();
        for (List<String> p : other.paths()) {
            if (!mine.contains(p)) otherPaths.add(p);
        }
    }
}
