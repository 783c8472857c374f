package dev.vestibule.router.supergraph;

import dev.vestibule.router.supergraph.SupergraphLoader.Names;
import graphql.introspection.Introspection.DirectiveLocation;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API schema: the supergraph without the link and join machinery and without @inaccessible elements. Directive
 * applications other than @deprecated and @specifiedBy are dropped; executable directive definitions stay.
 */
final class ApiSchemaFilter {
    private static final Set<String> KEPT_DIRECTIVES = Set.of("deprecated", "specifiedBy", "oneOf");
    private static final Set<String> EXECUTABLE_LOCATIONS = EnumSet.of(DirectiveLocation.QUERY, DirectiveLocation.MUTATION,
            DirectiveLocation.SUBSCRIPTION, DirectiveLocation.FIELD, DirectiveLocation.FRAGMENT_DEFINITION,
            DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT, DirectiveLocation.VARIABLE_DEFINITION)
            .stream().map(Enum::name).collect(Collectors.toUnmodifiableSet());

    private ApiSchemaFilter() {}

    static Document apiDocument(Document supergraph, Names names) {
        Set<String> hidden = supergraph.getDefinitions().stream()
                .filter(d -> d instanceof TypeDefinition<?> t && (names.isMachinery(t.getName()) || inaccessible(d, names)))
                .map(d -> ((TypeDefinition<?>) d).getName()).collect(Collectors.toSet());
        List<Definition> kept = new ArrayList<>();
        for (Definition<?> definition : supergraph.getDefinitions()) {
            switch (definition) {
                case SchemaDefinition schema -> kept.add(schema.transform(b -> b.directives(List.of())));
                case DirectiveDefinition directive -> {
                    boolean executable = directive.getDirectiveLocations().stream()
                            .anyMatch(l -> EXECUTABLE_LOCATIONS.contains(l.getName()));
                    if (executable && !names.isMachinery(directive.getName()) && !directive.getName().equals("link")) {
                        kept.add(directive.transform(b -> b.directiveLocations(directive.getDirectiveLocations().stream()
                                .filter(l -> EXECUTABLE_LOCATIONS.contains(l.getName())).toList())));
                    }
                }
                case TypeDefinition<?> type when hidden.contains(type.getName()) -> { }
                case ObjectTypeDefinition o -> kept.add(o.transform(b -> b.directives(kept(o.getDirectives()))
                        .implementz(visible(o.getImplements(), hidden))
                        .fieldDefinitions(fields(o.getFieldDefinitions(), hidden, names))));
                case InterfaceTypeDefinition i -> kept.add(i.transform(b -> b.directives(kept(i.getDirectives()))
                        .implementz(visible(i.getImplements(), hidden))
                        .definitions(fields(i.getFieldDefinitions(), hidden, names))));
                case UnionTypeDefinition u -> kept.add(u.transform(b -> b.directives(kept(u.getDirectives()))
                        .memberTypes(visible(u.getMemberTypes(), hidden))));
                case EnumTypeDefinition e -> kept.add(e.transform(b -> b.directives(kept(e.getDirectives()))
                        .enumValueDefinitions(e.getEnumValueDefinitions().stream().filter(v -> !inaccessible(v, names))
                                .map(v -> v.transform(vb -> vb.directives(kept(v.getDirectives())))).toList())));
                case InputObjectTypeDefinition in -> kept.add(in.transform(b -> b.directives(kept(in.getDirectives()))
                        .inputValueDefinitions(inputs(in.getInputValueDefinitions(), names))));
                case ScalarTypeDefinition s -> kept.add(s.transform(b -> b.directives(kept(s.getDirectives()))));
                default -> kept.add(definition);
            }
        }
        return supergraph.transform(b -> b.definitions(kept));
    }

    /**
     * Whether anything of the supergraph is @inaccessible: a type, field, argument, enum value or input field. Without
     * that the API schema keeps every type and field of the supergraph; it lacks only the link and join machinery.
     */
    static boolean hidesAnything(Document supergraph, Names names) {
        for (Definition<?> definition : supergraph.getDefinitions()) {
            if (inaccessible(definition, names)) return true;
            boolean inside = switch (definition) {
                case ObjectTypeDefinition o -> o.getFieldDefinitions().stream().anyMatch(f -> hidden(f, names));
                case InterfaceTypeDefinition i -> i.getFieldDefinitions().stream().anyMatch(f -> hidden(f, names));
                case EnumTypeDefinition e -> e.getEnumValueDefinitions().stream().anyMatch(v -> inaccessible(v, names));
                case InputObjectTypeDefinition in -> in.getInputValueDefinitions().stream().anyMatch(v -> inaccessible(v, names));
                default -> false;
            };
            if (inside) return true;
        }
        return false;
    }

    private static boolean hidden(FieldDefinition field, Names names) {
        return inaccessible(field, names) || field.getInputValueDefinitions().stream().anyMatch(a -> inaccessible(a, names));
    }

    private static boolean inaccessible(Object node, Names names) {
        return node instanceof DirectivesContainer<?> c && !c.getDirectives(names.inaccessible()).isEmpty();
    }

    private static List<Directive> kept(List<Directive> directives) {
        return directives.stream().filter(d -> KEPT_DIRECTIVES.contains(d.getName())).toList();
    }

    @SuppressWarnings("rawtypes")
    private static List<Type> visible(List<Type> types, Set<String> hidden) {
        return types.stream().filter(t -> !(t instanceof TypeName n && hidden.contains(n.getName()))).toList();
    }

    private static List<FieldDefinition> fields(List<FieldDefinition> fields, Set<String> hidden, Names names) {
        return fields.stream()
                .filter(f -> !inaccessible(f, names) && !hidden.contains(baseType(f.getType())))
                .map(f -> f.transform(b -> b.directives(kept(f.getDirectives()))
                        .inputValueDefinitions(inputs(f.getInputValueDefinitions(), names))))
                .toList();
    }

    private static List<InputValueDefinition> inputs(List<InputValueDefinition> inputs, Names names) {
        return inputs.stream().filter(i -> !inaccessible(i, names))
                .map(i -> i.transform(b -> b.directives(kept(i.getDirectives())))).toList();
    }

    @SuppressWarnings("rawtypes")
    static String baseType(Type type) {
        return switch (type) {
            case TypeName n -> n.getName();
            case NonNullType n -> baseType(n.getType());
            case ListType l -> baseType(l.getType());
            default -> throw new IllegalStateException("unknown type node " + type);
        };
    }
}
