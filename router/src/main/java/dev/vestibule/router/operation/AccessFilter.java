package dev.vestibule.router.operation;

import dev.vestibule.router.supergraph.AccessRequirement;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Enforces @authenticated, @requiresScopes and @policy: the fields a caller may not see (the field's own requirement, or its
 * type's) are taken out of what is planned, so no subgraph is asked for them; the response shaper then answers them
 * null with an UNAUTHORIZED_FIELD_OR_TYPE error at their path, and the rest of the operation runs.
 */
public final class AccessFilter {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    /** The scopes and policies some requirement names: no other one can change what a caller may see. */
    private final Set<String> namedScopes;
    private final Set<String> namedPolicies;

    public AccessFilter(Supergraph supergraph) {
        this.supergraph = supergraph;
        this.schema = supergraph.apiSchema();
        Set<String> scopes = new HashSet<>();
        supergraph.access().values().forEach(r -> r.scopeAlternatives().forEach(scopes::addAll));
        this.namedScopes = Set.copyOf(scopes);
        this.namedPolicies = Set.copyOf(supergraph.policyNames());
    }

    /**
     * The caller as the requirements see it: its scopes and policies that some requirement names. Two callers with
     * the same access level are filtered alike, so plans are cached by it (tokens with many unrelated scopes share
     * plans); it is the caller itself when nothing needs dropping.
     */
    public Caller accessLevel(Caller caller) {
        if (namedScopes.containsAll(caller.scopes()) && namedPolicies.containsAll(caller.policies())) return caller;
        return new Caller(caller.authenticated(), named(caller.scopes(), namedScopes), named(caller.policies(), namedPolicies));
    }

    private static Set<String> named(Set<String> held, Set<String> named) {
        Set<String> out = new HashSet<>();
        for (String name : held) if (named.contains(name)) out.add(name);
        return out;
    }

    /** True when the supergraph has no requirement at all: nothing to filter, ever. */
    public boolean idle() {
        return supergraph.access().isEmpty();
    }

    /** What is planned for this caller, and the field selections it may not see (by identity). */
    public record Filtered(List<Selection> allowed, Set<Selection.Field> denied) {}

    public Filtered filter(List<Selection> selections, String rootType, Caller caller) {
        Set<Selection.Field> denied = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Selection> allowed = filter(selections, (GraphQLFieldsContainer) schema.getType(rootType), caller, denied);
        return new Filtered(allowed, denied);
    }

    private List<Selection> filter(List<Selection> selections, GraphQLFieldsContainer parent, Caller caller, Set<Selection.Field> denied) {
        List<Selection> out = new ArrayList<>(selections.size());
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field field -> {
                    if (field.isTypename() || parent == null || field.name().startsWith("__")) {
                        out.add(field);
                        continue;
                    }
                    GraphQLFieldDefinition definition = parent.getFieldDefinition(field.name());
                    GraphQLType returned = definition == null ? null : GraphQLTypeUtil.unwrapAll(definition.getType());
                    String returnedName = returned == null ? null : ((GraphQLNamedType) returned).getName();
                    if (!allowed(parent.getName() + "." + field.name(), caller) || (returnedName != null && !allowed(returnedName, caller))) {
                        denied.add(field);
                        continue;
                    }
                    if (field.isLeaf()) {
                        out.add(field);
                        continue;
                    }
                    List<Selection> children = filter(field.selections(), returned instanceof GraphQLFieldsContainer c ? c : null, caller, denied);
                    if (children.isEmpty()) {
                        // every child is hidden: keep the object (valid, and null-able by the shaper) with its typename
                        children = List.of(new Selection.Field("__typename", "__typename", List.of(), List.of(), List.of()));
                    }
                    out.add(children.equals(field.selections()) ? field
                            : new Selection.Field(field.responseKey(), field.name(), field.arguments(), field.directives(), children));
                }
                case Selection.Fragment fragment -> {
                    GraphQLType condition = fragment.typeCondition() == null ? parent : schema.getType(fragment.typeCondition());
                    List<Selection> children = filter(fragment.selections(), condition instanceof GraphQLFieldsContainer c ? c : null, caller, denied);
                    out.add(children.equals(fragment.selections()) ? fragment : fragment.withSelections(children));
                }
            }
        }
        return out;
    }

    private boolean allowed(String coordinate, Caller caller) {
        AccessRequirement requirement = supergraph.access(coordinate);
        return requirement == null || requirement.satisfiedBy(caller.authenticated(), caller.scopes(), caller.policies());
    }
}
