package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.MergedArgument;
import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.MergedSchema.MergedValue;
import dev.vestibule.router.composition.SubgraphModel.ArgumentModel;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.Value;
import graphql.parser.Parser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules on the merged supergraph, each one pass over it: there is a query, the API schema (what @inaccessible leaves
 * visible) is a valid schema, defaults name values the merge kept, an interface's resolvable key can reach all its
 * implementations, and a field's @requires does not read data guarded by stricter auth than its own.
 */
final class SupergraphRules {
    private static final String INACCESSIBLE = "@inaccessible";

    private final List<SubgraphModel> subgraphs;
    private final MergedSchema schema;
    private final List<CompositionError> errors;

    private SupergraphRules(List<SubgraphModel> subgraphs, MergedSchema schema, List<CompositionError> errors) {
        this.subgraphs = subgraphs;
        this.schema = schema;
        this.errors = errors;
    }

    static void check(List<SubgraphModel> subgraphs, MergedSchema schema, List<CompositionError> errors) {
        SupergraphRules rules = new SupergraphRules(subgraphs, schema, errors);
        MergedType query = schema.types.get("Query");
        if (query == null || query.fields.isEmpty()) {
            errors.add(new CompositionError("NO_QUERIES", "No queries found in any subgraph: a supergraph must have a query root type.",
                    subgraphs.stream().map(s -> s.name).toList(), null, 0, "add a Query type with at least one field to a subgraph"));
            return;
        }
        rules.checkApiSchema(query);
        rules.checkDefaults();
        rules.checkInterfaceKeysReachImplementations();
        rules.checkTransitiveAuth();
    }

    private static boolean hidden(List<String> directives) {
        return directives.contains(INACCESSIBLE);
    }

    // ---------------------------------------------------------------- the API schema

    private void checkApiSchema(MergedType query) {
        if (hidden(query.directives)) {
            errors.add(new CompositionError("QUERY_ROOT_TYPE_INACCESSIBLE", "Type \"Query\" is @inaccessible but is the root query type, which must be in the API schema.",
                    List.of(), "Query", 0, "remove @inaccessible from the Query type (hide its fields one by one instead)"));
            return;
        }
        for (MergedType type : schema.types.values()) {
            if (hidden(type.directives)) continue;
            checkOnlyInaccessibleChildren(type);
            for (MergedField field : type.fields.values()) {
                String coordinate = type.name + "." + field.name;
                if (type.kind == Kind.INPUT_OBJECT) {
                    if (hidden(field.directives) && field.type.endsWith("!") && field.defaultValue == null) {
                        errors.add(new CompositionError("REQUIRED_INACCESSIBLE", "Input field \"" + coordinate
                                + "\" is @inaccessible but is a required input field of its type.", subgraphsWith(type.name, field.name),
                                coordinate, 0, "make " + coordinate + " optional (or give it a default), or do not hide it"));
                    }
                    continue;
                }
                if (hidden(field.directives)) {
                    checkImplementedByInaccessible(type, field);
                    continue;
                }
                for (MergedArgument argument : field.arguments) {
                    if (hidden(argument.directives()) && argument.type().endsWith("!") && argument.defaultValue() == null) {
                        errors.add(new CompositionError("REQUIRED_INACCESSIBLE", "Argument \"" + coordinate + "(" + argument.name()
                                + ":)\" is @inaccessible but is a required argument of its field.", subgraphsWith(type.name, field.name),
                                coordinate + "(" + argument.name() + ":)", 0, "make the argument optional (or give it a default), or do not hide it"));
                    }
                }
            }
        }
    }

    private void checkOnlyInaccessibleChildren(MergedType type) {
        String children = switch (type.kind) {
            case OBJECT, INTERFACE, INPUT_OBJECT -> !type.fields.isEmpty() && type.fields.values().stream().allMatch(f -> hidden(f.directives)) ? "fields" : null;
            case ENUM -> !type.values.isEmpty() && type.values.values().stream().allMatch(v -> hidden(v.directives())) ? "values" : null;
            case UNION -> !type.members.isEmpty() && type.members.stream().allMatch(m -> schema.types.containsKey(m)
                    && hidden(schema.types.get(m).directives)) ? "members" : null;
            case SCALAR -> null;
        };
        if (children == null) return;
        errors.add(new CompositionError("ONLY_INACCESSIBLE_CHILDREN", "Type \"" + type.name + "\" is in the API schema but all of its " + children
                + " are @inaccessible.", subgraphsWith(type.name, null), type.name, 0,
                "leave at least one of its " + children + " accessible, or mark " + type.name + " @inaccessible too"));
    }

    /** A hidden field of a visible type may not implement a visible interface field: the API schema would be invalid. */
    private void checkImplementedByInaccessible(MergedType type, MergedField field) {
        for (String interfaceName : type.interfaces) {
            MergedType itf = schema.types.get(interfaceName);
            if (itf == null || hidden(itf.directives)) continue;
            MergedField declared = itf.fields.get(field.name);
            if (declared == null || hidden(declared.directives)) continue;
            String coordinate = type.name + "." + field.name;
            errors.add(new CompositionError("IMPLEMENTED_BY_INACCESSIBLE", "Field \"" + coordinate + "\" is @inaccessible but implements the interface field \""
                    + interfaceName + "." + field.name + "\", which is in the API schema.", subgraphsWith(type.name, field.name), coordinate, 0,
                    "mark " + interfaceName + "." + field.name + " @inaccessible too, or do not hide " + coordinate));
        }
    }

    // ---------------------------------------------------------------- default values

    /**
     * A default value may only name enum values the supergraph keeps (an input enum keeps the values every subgraph
     * has) and, when the element is visible, values the API schema shows.
     */
    private void checkDefaults() {
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                MergedType merged = schema.types.get(type.name);
                if (merged == null) continue;
                boolean typeVisible = !hidden(merged.directives);
                for (FieldModel field : type.fields.values()) {
                    MergedField mergedField = merged.fields.get(field.name);
                    if (mergedField == null) continue;
                    String coordinate = type.name + "." + field.name;
                    if (type.kind == Kind.INPUT_OBJECT) {
                        if (field.defaultValue != null) {
                            checkDefault(subgraph, "input field " + coordinate, coordinate, field.type, field.defaultValue,
                                    typeVisible && !hidden(mergedField.directives), field.line);
                        }
                        continue;
                    }
                    for (ArgumentModel argument : field.arguments.values()) {
                        if (argument.defaultValue() == null) continue;
                        MergedArgument mergedArgument = mergedField.arguments.stream().filter(a -> a.name().equals(argument.name())).findFirst().orElse(null);
                        if (mergedArgument == null) continue;
                        String argumentCoordinate = coordinate + "(" + argument.name() + ":)";
                        checkDefault(subgraph, "argument " + argumentCoordinate, argumentCoordinate, argument.type(), argument.defaultValue(),
                                typeVisible && !hidden(mergedField.directives) && !hidden(mergedArgument.directives()), argument.line());
                    }
                }
            }
        }
    }

    private void checkDefault(SubgraphModel subgraph, String element, String coordinate, Type<?> type, Value<?> value, boolean visible, int line) {
        switch (value) {
            case ArrayValue array -> {
                Type<?> item = unwrapNonNull(type) instanceof ListType list ? list.getType() : type;
                for (Value<?> v : array.getValues()) checkDefault(subgraph, element, coordinate, item, v, visible, line);
            }
            case ObjectValue object -> {
                MergedType input = schema.types.get(SubgraphReader.namedType(type));
                TypeModel own = subgraph.types.get(SubgraphReader.namedType(type));
                if (input == null || own == null || input.kind != Kind.INPUT_OBJECT) return;
                // A deliberate difference from Apollo, which composes this: GraphQL's input coercion rejects an object
                // without a required field, so graphql-java (the router's schema) refuses to load the supergraph.
                Set<String> given = new HashSet<>();
                object.getObjectFields().forEach(f -> given.add(f.getName()));
                for (MergedField required : input.fields.values()) {
                    if (!required.type.endsWith("!") || required.defaultValue != null || given.contains(required.name)) continue;
                    errors.add(new CompositionError("INVALID_GRAPHQL", "[" + subgraph.name + "] The default value " + SdlValues.value(object)
                            + " of " + element + " leaves out the required field \"" + input.name + "." + required.name + "\" (of type "
                            + required.type + "): the supergraph would not be a valid schema (Apollo composes it; graphql-java and the"
                            + " GraphQL specification's input coercion reject it).", List.of(subgraph.name), coordinate, line,
                            "give " + required.name + " a value in the default of " + coordinate + ", or give " + input.name + "."
                                    + required.name + " a default, or make it nullable"));
                }
                for (ObjectField field : object.getObjectFields()) {
                    FieldModel declared = own.fields.get(field.getName());
                    if (declared != null) checkDefault(subgraph, element, coordinate, declared.type, field.getValue(), visible, line);
                }
            }
            case EnumValue enumValue -> {
                MergedType enumType = schema.types.get(SubgraphReader.namedType(type));
                if (enumType == null || enumType.kind != Kind.ENUM) return;
                MergedValue kept = enumType.values.get(enumValue.getName());
                if (kept == null) {
                    errors.add(new CompositionError("INVALID_GRAPHQL", "[" + subgraph.name + "] Invalid default value (got: \"" + enumValue.getName()
                            + "\") provided for " + element + " of type " + enumType.name + ".", List.of(subgraph.name), coordinate, line,
                            "the supergraph's " + enumType.name + " has no value " + enumValue.getName() + " (an enum used as input keeps the values"
                                    + " every subgraph defines): add it to " + enumType.name + " in every subgraph, or change the default"));
                } else if (visible && hidden(kept.directives())) {
                    errors.add(new CompositionError("DEFAULT_VALUE_USES_INACCESSIBLE", "Enum value \"" + enumType.name + "." + enumValue.getName()
                            + "\" is @inaccessible but is used in the default value of \"" + coordinate + "\", which is in the API schema.",
                            List.of(subgraph.name), coordinate, line, "change the default of " + coordinate + ", or do not hide "
                            + enumType.name + "." + enumValue.getName()));
                }
            }
            default -> { }
        }
    }

    private static Type<?> unwrapNonNull(Type<?> type) {
        return type instanceof NonNullType nonNull ? nonNull.getType() : type;
    }

    // ---------------------------------------------------------------- interface keys

    /** A subgraph with a resolvable key on an interface must know every implementation the supergraph has. */
    private void checkInterfaceKeysReachImplementations() {
        Map<String, List<String>> implementations = new HashMap<>();
        for (MergedType type : schema.types.values()) {
            if (type.kind != Kind.OBJECT) continue;
            for (String itf : type.interfaces) implementations.computeIfAbsent(itf, i -> new ArrayList<>()).add(type.name);
        }
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel itf : subgraph.types.values()) {
                if (itf.kind != Kind.INTERFACE) continue;
                Key key = itf.keys.stream().filter(Key::resolvable).findFirst().orElse(null);
                if (key == null) continue;
                List<String> missing = new ArrayList<>();
                for (String implementation : implementations.getOrDefault(itf.name, List.of())) {
                    TypeModel own = subgraph.types.get(implementation);
                    if (own == null || !own.interfaces.contains(itf.name)) missing.add(implementation);
                }
                if (missing.isEmpty()) continue;
                String types = (missing.size() == 1 ? "type " : "types ") + SupergraphMerger.quoteList(missing);
                errors.add(new CompositionError("INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE", "[" + subgraph.name + "] Interface type \"" + itf.name
                        + "\" has a resolvable key (@key(fields: " + SdlValues.quote(key.fields()) + ")) in subgraph \"" + subgraph.name
                        + "\" but that subgraph is missing some of the supergraph implementation types of \"" + itf.name + "\". Subgraph \""
                        + subgraph.name + "\" should define " + types + " (and have " + (missing.size() > 1 ? "them" : "it") + " implement \""
                        + itf.name + "\").", List.of(subgraph.name), itf.name, key.line(), "define " + String.join(", ", missing) + " implementing "
                        + itf.name + " in \"" + subgraph.name + "\" (with the key), or make the interface's key resolvable: false there"));
            }
        }
    }

    // ---------------------------------------------------------------- transitive auth

    /** What @authenticated, @requiresScopes and @policy demand of a caller, merged over the subgraphs (all must hold). */
    private record Auth(boolean authenticated, List<Set<String>> scopes, List<Set<String>> policies) {
        static final Auth NONE = new Auth(false, null, null);

        Auth and(Auth other) {
            return new Auth(authenticated || other.authenticated, conjunction(scopes, other.scopes), conjunction(policies, other.policies));
        }

        /** Whoever meets these requirements also meets {@code other}'s. */
        boolean satisfies(Auth other) {
            return (authenticated || !other.authenticated) && implies(scopes, other.scopes) && implies(policies, other.policies);
        }

        private static List<Set<String>> conjunction(List<Set<String>> a, List<Set<String>> b) {
            if (a == null) return b;
            if (b == null) return a;
            List<Set<String>> all = new ArrayList<>();
            for (Set<String> left : a) {
                for (Set<String> right : b) {
                    Set<String> both = new LinkedHashSet<>(left);
                    both.addAll(right);
                    if (!all.contains(both)) all.add(both);
                }
            }
            return all;
        }

        /** Each alternative of {@code first} contains some alternative of {@code second}. */
        private static boolean implies(List<Set<String>> first, List<Set<String>> second) {
            List<Set<String>> f = first == null || first.isEmpty() ? List.of(Set.of()) : first;
            List<Set<String>> s = second == null || second.isEmpty() ? List.of(Set.of()) : second;
            return f.stream().allMatch(left -> s.stream().anyMatch(left::containsAll));
        }
    }

    private static Auth auth(List<Directive> directives) {
        Auth auth = Auth.NONE;
        for (Directive directive : directives) {
            switch (directive.getName()) {
                case "authenticated" -> auth = auth.and(new Auth(true, null, null));
                case "requiresScopes" -> auth = auth.and(new Auth(false, alternatives(directive, "scopes"), null));
                case "policy" -> auth = auth.and(new Auth(false, null, alternatives(directive, "policies")));
                default -> { }
            }
        }
        return auth;
    }

    private static List<Set<String>> alternatives(Directive directive, String argument) {
        List<Set<String>> result = new ArrayList<>();
        if (directive.getArgument(argument) != null && directive.getArgument(argument).getValue() instanceof ArrayValue outer) {
            for (Value<?> inner : outer.getValues()) {
                Set<String> all = new LinkedHashSet<>();
                if (inner instanceof ArrayValue names) names.getValues().forEach(v -> { if (v instanceof StringValue s) all.add(s.getValue()); });
                result.add(all);
            }
        }
        return result;
    }

    /** A @requires may only read fields whose auth requirements the requiring field (with its type) already demands. */
    private void checkTransitiveAuth() {
        Map<String, List<TypeModel>> typesByName = new HashMap<>();
        boolean anyAuth = false;
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                typesByName.computeIfAbsent(type.name, n -> new ArrayList<>()).add(type);
                anyAuth |= subgraph.appliedSpecNames.containsKey("authenticated") || subgraph.appliedSpecNames.containsKey("requiresScopes")
                        || subgraph.appliedSpecNames.containsKey("policy");
            }
        }
        if (!anyAuth) return;
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                for (FieldModel field : type.fields.values()) {
                    if (!field.external) checkContextAuth(typesByName, subgraph, type, field);
                    if (field.requires == null || field.external) continue;
                    Auth own = typeAuth(typesByName, type.name).and(fieldAuth(typesByName, type.name, field.name));
                    SelectionSet selections;
                    try {
                        selections = FieldSetParser.parse(field.requires);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    String violation = authViolation(typesByName, type.name, selections, own);
                    if (violation != null) {
                        String coordinate = type.name + "." + field.name;
                        errors.add(new CompositionError("MISSING_TRANSITIVE_AUTH_REQUIREMENTS", "[" + subgraph.name + "] Field \"" + coordinate
                                + "\" does not specify necessary @authenticated, @requiresScopes and/or @policy auth requirements to access the transitive "
                                + violation + " data from @requires selection set.", List.of(subgraph.name), coordinate, field.line,
                                "give " + coordinate + " at least the auth requirements of what its @requires reads (copy them from the required field)"));
                    }
                }
            }
        }
    }

    /**
     * A @fromContext argument reads data of the types setting the context: the field (with its type) must demand at
     * least their auth requirements and those of every field its selection reads, as for a @requires.
     */
    private void checkContextAuth(Map<String, List<TypeModel>> typesByName, SubgraphModel subgraph, TypeModel type, FieldModel field) {
        for (SubgraphModel.ArgumentModel argument : field.arguments.values()) {
            if (argument.fromContext() == null) continue;
            String value = argument.fromContext().trim();
            int space = value.indexOf(' ');
            if (space < 0) continue;
            String context = value.substring(0, space).replaceFirst("^\\$", "");
            String selectionText = value.substring(space).trim();
            SelectionSet selections;
            try {
                selections = selectionText.startsWith("{")
                        ? ((OperationDefinition) Parser.parse(selectionText).getDefinitions().get(0)).getSelectionSet()
                        : FieldSetParser.parse(selectionText);
            } catch (RuntimeException e) {
                continue; // an unparsable selection is reported by the context rules
            }
            Auth own = typeAuth(typesByName, type.name).and(fieldAuth(typesByName, type.name, field.name));
            String coordinate = type.name + "." + field.name;
            for (TypeModel target : subgraph.types.values()) {
                if (!target.contexts.contains(context)) continue;
                String violation = own.satisfies(typeAuth(typesByName, target.name)) ? authViolation(typesByName, target.name, selections, own)
                        : "data in context " + subgraph.name + "__" + context;
                if (violation == null) continue;
                errors.add(new CompositionError("MISSING_TRANSITIVE_AUTH_REQUIREMENTS", "[" + subgraph.name + "] Field \"" + coordinate
                        + "\" does not specify necessary @authenticated, @requiresScopes and/or @policy auth requirements to access the transitive "
                        + (violation.startsWith("data in context") ? violation : violation + " data") + " from @fromContext selection set.",
                        List.of(subgraph.name), coordinate, field.line,
                        "give " + coordinate + " at least the auth requirements of what its @fromContext reads (the context's type and the selected fields)"));
                return;
            }
        }
    }

    private String authViolation(Map<String, List<TypeModel>> typesByName, String typeName, SelectionSet selections, Auth own) {
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof InlineFragment fragment) {
                String condition = fragment.getTypeCondition() == null ? typeName : fragment.getTypeCondition().getName();
                if (!own.satisfies(typeAuth(typesByName, condition))) return "inline fragment type condition \"" + condition + "\"";
                String inner = authViolation(typesByName, condition, fragment.getSelectionSet(), own);
                if (inner != null) return inner;
                continue;
            }
            if (!(selection instanceof Field field) || field.getName().equals("__typename")) continue;
            MergedType type = schema.types.get(typeName);
            MergedField merged = type == null ? null : type.fields.get(field.getName());
            if (merged == null) continue;
            String returned = merged.type.replace("[", "").replace("]", "").replace("!", "");
            if (!own.satisfies(fieldAuth(typesByName, typeName, field.getName())) || !own.satisfies(typeAuth(typesByName, returned))) {
                return "field \"" + typeName + "." + field.getName() + "\"";
            }
            if (field.getSelectionSet() != null) {
                String inner = authViolation(typesByName, returned, field.getSelectionSet(), own);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    private static Auth typeAuth(Map<String, List<TypeModel>> typesByName, String typeName) {
        List<Directive> directives = new ArrayList<>();
        for (TypeModel type : typesByName.getOrDefault(typeName, List.of())) directives.addAll(type.passThrough);
        return auth(directives);
    }

    private static Auth fieldAuth(Map<String, List<TypeModel>> typesByName, String typeName, String fieldName) {
        List<Directive> directives = new ArrayList<>();
        for (TypeModel type : typesByName.getOrDefault(typeName, List.of())) {
            FieldModel field = type.fields.get(fieldName);
            if (field != null) directives.addAll(field.passThrough);
        }
        return auth(directives);
    }

    private List<String> subgraphsWith(String typeName, String fieldName) {
        List<String> names = new ArrayList<>();
        for (SubgraphModel subgraph : subgraphs) {
            TypeModel type = subgraph.types.get(typeName);
            if (type != null && (fieldName == null || type.fields.containsKey(fieldName))) names.add(subgraph.name);
        }
        return names;
    }
}
