package dev.vestibule.router.supergraph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one subgraph serves, extracted from the supergraph's join directives: its types, their keys, and for each
 * field whether the subgraph resolves it and what it needs (@requires) or gives along (@provides).
 */
public record SubgraphSchema(Subgraph subgraph, Map<String, TypeInSubgraph> types) {

    public Optional<TypeInSubgraph> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public boolean hasType(String name) {
        return types.containsKey(name);
    }

    /** The subgraph resolves typeName.fieldName itself (present, not external, not overridden away). */
    public boolean resolves(String typeName, String fieldName) {
        TypeInSubgraph type = types.get(typeName);
        if (type == null) return false;
        FieldInSubgraph field = type.fields().get(fieldName);
        return field != null && field.resolvable();
    }

    public Optional<FieldInSubgraph> field(String typeName, String fieldName) {
        return type(typeName).map(t -> t.fields().get(fieldName));
    }

    /** A @key of a type in a subgraph; only resolvable keys can be used to enter the subgraph. */
    public record Key(FieldSet fields, boolean resolvable) {}

    public record TypeInSubgraph(String name, List<Key> keys, boolean interfaceObject, Map<String, FieldInSubgraph> fields,
                                 Set<String> interfaces, Set<String> unionMembers) {
        public boolean isEntity() {
            return !keys.isEmpty();
        }

        public List<Key> resolvableKeys() {
            return keys.stream().filter(Key::resolvable).toList();
        }
    }

    /**
     * A field as one subgraph has it. {@code type} is its type there (it may differ from the supergraph's);
     * {@code external} fields are present only for keys, requires and provides.
     */
    public record FieldInSubgraph(String name, String type, boolean external, FieldSet requires, FieldSet provides) {
        public boolean resolvable() {
            return !external;
        }

        /** The subgraph answers this field from what it has itself: resolvable, and nothing required from elsewhere. */
        public boolean answersHere() {
            return resolvable() && requires == null;
        }

        /** The named type inside {@code type}'s list and non-null wrappers ({@code [Book!]!} gives {@code Book}). */
        public String namedType() {
            int start = type.lastIndexOf('[') + 1;
            int end = start;
            while (end < type.length() && type.charAt(end) != ']' && type.charAt(end) != '!') end++;
            return type.substring(start, end);
        }
    }
}
