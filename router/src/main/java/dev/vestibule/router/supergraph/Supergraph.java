package dev.vestibule.router.supergraph;

import graphql.schema.GraphQLSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A loaded supergraph: the subgraphs, what each of them serves, the full schema the planner works on
 * (inaccessible elements included: keys and requires may use them) and the API schema clients see.
 */
public record Supergraph(List<Subgraph> subgraphs, Map<String, SubgraphSchema> schemas, GraphQLSchema schema,
                         GraphQLSchema apiSchema, Map<String, AccessRequirement> access, DemandControl demand,
                         List<ProgressiveOverride> progressiveOverrides) {

    /** The labels of its progressive overrides, sorted. */
    public SortedSet<String> overrideLabels() {
        SortedSet<String> labels = new TreeSet<>();
        progressiveOverrides.forEach(o -> labels.add(o.label()));
        return labels;
    }

    /**
     * This supergraph as the planner sees it for a request whose active override labels are {@code active}: each
     * progressively overridden field is resolved by its new subgraph when its label is active, by its old one otherwise
     * (the other side keeps the field as external: keys and requires may still use it).
     */
    public Supergraph withActiveLabels(Set<String> active) {
        if (progressiveOverrides.isEmpty()) return this;
        Map<String, SubgraphSchema> changed = new LinkedHashMap<>(schemas);
        for (ProgressiveOverride override : progressiveOverrides) {
            String loser = active.contains(override.label()) ? override.from() : override.to();
            changed.put(loser, external(changed.get(loser), override.type(), override.field()));
        }
        return new Supergraph(subgraphs, Map.copyOf(changed), schema, apiSchema, access, demand, progressiveOverrides);
    }

    private static SubgraphSchema external(SubgraphSchema schema, String typeName, String fieldName) {
        SubgraphSchema.TypeInSubgraph type = schema.types().get(typeName);
        if (type == null || !type.fields().containsKey(fieldName)) return schema;
        SubgraphSchema.FieldInSubgraph field = type.fields().get(fieldName);
        Map<String, SubgraphSchema.FieldInSubgraph> fields = new LinkedHashMap<>(type.fields());
        fields.put(fieldName, new SubgraphSchema.FieldInSubgraph(field.name(), field.type(), true, field.requires(), field.provides()));
        Map<String, SubgraphSchema.TypeInSubgraph> types = new LinkedHashMap<>(schema.types());
        types.put(typeName, new SubgraphSchema.TypeInSubgraph(type.name(), type.keys(), type.interfaceObject(), fields,
                type.interfaces(), type.unionMembers()));
        return new SubgraphSchema(schema.subgraph(), types);
    }

    /** What the type ({@code Type}) or field ({@code Type.field}) demands of callers, or null. */
    public AccessRequirement access(String coordinate) {
        return access.get(coordinate);
    }

    /** Every policy name a @policy of the supergraph uses, sorted. */
    public SortedSet<String> policyNames() {
        SortedSet<String> names = new TreeSet<>();
        access.values().forEach(requirement -> requirement.policyAlternatives().forEach(names::addAll));
        return names;
    }

    /** The interfaces that some subgraph knows only as an object type (@interfaceObject), sorted. */
    public SortedSet<String> interfaceObjects() {
        SortedSet<String> names = new TreeSet<>();
        schemas.values().forEach(schema -> schema.types().values().forEach(t -> {
            if (t.interfaceObject()) names.add(t.name());
        }));
        return names;
    }

    public SubgraphSchema subgraph(String name) {
        SubgraphSchema schema = schemas.get(name);
        if (schema == null) throw new IllegalArgumentException("no subgraph named " + name);
        return schema;
    }

    public Optional<Subgraph> subgraphNamed(String name) {
        return subgraphs.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
