package dev.vestibule.router.supergraph;

import graphql.schema.GraphQLSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A loaded supergraph: the subgraphs, what each of them serves, the full schema the planner works on
 * (inaccessible elements included: keys and requires may use them) and the API schema clients see.
 */
public record Supergraph(List<Subgraph> subgraphs, Map<String, SubgraphSchema> schemas, GraphQLSchema schema,
                         GraphQLSchema apiSchema, Map<String, AccessRequirement> access, DemandControl demand) {

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

    public SubgraphSchema subgraph(String name) {
        SubgraphSchema schema = schemas.get(name);
        if (schema == null) throw new IllegalArgumentException("no subgraph named " + name);
        return schema;
    }

    public Optional<Subgraph> subgraphNamed(String name) {
        return subgraphs.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
