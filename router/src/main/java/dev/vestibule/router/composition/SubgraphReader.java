package dev.vestibule.router.composition;

import dev.vestibule.router.composition.SubgraphModel.ArgumentModel;
import dev.vestibule.router.composition.SubgraphModel.EnumValueModel;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.DescribedNode;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumTypeExtensionDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.Field;
import graphql.language.FieldDefinition;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.InlineFragment;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputObjectTypeExtensionDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.IntValue;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.InterfaceTypeExtensionDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.ScalarTypeExtensionDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.UnionTypeExtensionDefinition;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads one subgraph's SDL into a {@link SubgraphModel}: resolves the federation link, renames root types to
 * Query/Mutation/Subscription, drops federation machinery (_Service, _Entity, _Any, FieldSet...), applies the
 * Federation 1 upgrade rules, and reports what is wrong inside this subgraph alone (syntax, unknown types, key,
 * requires and provides field sets, unused @external, @override from itself).
 */
final class SubgraphReader {
    private static final Set<String> BUILT_IN_SCALARS = Set.of("String", "Int", "Float", "Boolean", "ID");
    private static final Set<String> MACHINERY_TYPES = Set.of("_Service", "_Any", "_Entity", "_FieldSet", "FieldSet",
            "Scope", "Policy", "ContextFieldValue", "Import", "Purpose");
    private static final Set<String> PASS_THROUGH = Set.of("tag", "authenticated", "requiresScopes", "policy", "cost",
            "listSize");
    private static final Set<String> ROOT_NAMES = Set.of("Query", "Mutation", "Subscription");
    private static final Set<String> AUTH_DIRECTIVES = Set.of("authenticated", "requiresScopes", "policy");

    private final SubgraphSource source;
    private final List<CompositionError> errors;
    private FederationLinks links;
    private SubgraphModel model;
    private final Map<String, String> rootRenames = new HashMap<>();
    private final Set<String> composedNames = new LinkedHashSet<>();

    private SubgraphReader(SubgraphSource source, List<CompositionError> errors) {
        this.source = source;
        this.errors = errors;
    }

    /** The model, or null when the subgraph is unreadable; problems go to {@code errors}. */
    static SubgraphModel read(SubgraphSource source, List<CompositionError> errors) {
        return new SubgraphReader(source, errors).read();
    }

    private SubgraphModel read() {
        Document document;
        try {
            document = Parser.parse(ParserEnvironment.newParserEnvironment().document(source.sdl())
                    .parserOptions(ParserOptions.getDefaultSdlParserOptions().transform(o -> o.maxTokens(Integer.MAX_VALUE)
                            .maxWhitespaceTokens(Integer.MAX_VALUE).maxCharacters(Integer.MAX_VALUE)))
                    .build());
        } catch (InvalidSyntaxException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLine();
            errors.add(new CompositionError("INVALID_GRAPHQL", "[" + source.name() + "] " + e.getMessage(),
                    List.of(source.name()), null, line, "fix the GraphQL syntax of " + source.origin()));
            return null;
        }
        int emptyBody = emptyBodyLine(source.sdl());
        if (emptyBody > 0) {
            errors.add(new CompositionError("INVALID_GRAPHQL", "[" + source.name() + "] Syntax Error: Expected Name, found \"}\".",
                    List.of(source.name()), null, emptyBody, "a type, enum, input or schema body in braces needs at least one entry:"
                            + " add one, or drop the empty braces (line " + emptyBody + " of " + source.origin() + ")"));
            return null;
        }
        for (Definition<?> definition : document.getDefinitions()) {
            // graphql-java reads "type T { a: B c }" as a bodiless type and the query "{ a: B c }"; graphql-js does not
            if (definition instanceof OperationDefinition || definition instanceof FragmentDefinition) {
                int at = line(definition.getSourceLocation());
                errors.add(new CompositionError("INVALID_GRAPHQL", "[" + source.name() + "] Invalid executable definition found while building schema",
                        List.of(source.name()), null, at, "a subgraph schema holds type system definitions only: remove the operation or fragment at line "
                                + at + " of " + source.origin() + ", or check the field definitions of the type before it (each needs \"name: Type\")"));
                return null;
            }
        }
        links = FederationLinks.read(document, source.name());
        errors.addAll(links.errors());
        model = new SubgraphModel(source.name(), source.url(), links);
        checkKnownDirectives(document);
        if (!readSchemaDefinitions(document)) return null;
        checkFederationTypeDefinitions(document);
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type && !isMachinery(type.getName())) readType(type);
            if (definition instanceof DirectiveDefinition directive) readDirectiveDefinition(directive);
        }
        for (TypeModel type : model.types.values()) {
            // a type written without a body is valid syntax but an empty type (federation fills Query itself)
            String empty = switch (type.kind) {
                case OBJECT, INTERFACE -> type.fields.isEmpty() && !type.name.equals("Query") ? "Type " + type.name + " must define one or more fields." : null;
                case INPUT_OBJECT -> type.fields.isEmpty() ? "Input Object type " + type.name + " must define one or more fields." : null;
                case UNION -> type.members.isEmpty() ? "Union type " + type.name + " must define one or more member types." : null;
                case ENUM -> type.values.isEmpty() ? "Enum type " + type.name + " must define one or more values." : null;
                case SCALAR -> null;
            };
            if (empty != null) {
                errors.add(error("INVALID_GRAPHQL", type.name, type.line, empty, "give " + type.name + " a body with at least one entry, or remove it"));
            }
        }
        // every subgraph has a query root (federation adds _service and _entities to it), even one with no own field
        model.types.computeIfAbsent("Query", name -> new TypeModel(name, Kind.OBJECT, 0)).hasDefinition = true;
        for (TypeModel type : model.types.values()) {
            type.extension = !ROOT_NAMES.contains(type.name) && (type.kind == Kind.OBJECT || type.kind == Kind.INTERFACE)
                    && (type.extendsDirective || links.federation2() && !type.hasDefinition);
            checkReferencedTypes(type);
        }
        checkInterfaceImplementations();
        checkDirectiveApplications();
        checkDefaultValues();
        clearKeyExternalsOnExtensions();
        if (!links.federation2()) upgradeFederation1();
        for (TypeModel type : model.types.values()) {
            for (Key key : type.keys) walkFieldSet(type, key.fields(), "@key", type.name, key.line(), Use.KEY);
            for (FieldModel field : type.fields.values()) {
                // Federation 1: an @external field's own @requires/@provides is not read (Apollo's upgrade drops the unused field first)
                boolean inert = !links.federation2() && field.external;
                if (field.requires != null && !inert) walkFieldSet(type, field.requires, "@requires", type.name + "." + field.name, field.line, Use.REQUIRES);
                if (field.provides != null && !inert) checkProvides(type, field);
                if (field.overrideFrom != null && field.overrideFrom.equals(source.name())) {
                    errors.add(error("OVERRIDE_FROM_SELF_ERROR", type.name + "." + field.name, field.line,
                            "Source and destination subgraphs \"" + source.name() + "\" are the same for overridden field \""
                                    + type.name + "." + field.name + "\"",
                            "@override(from:) names the subgraph the field moves away from; remove the directive or name the other subgraph"));
                }
            }
        }
        markContextSelectionsUsed();
        checkUnusedExternals();
        checkContextualArguments();
        if (links.federation2()) {
            checkInterfaceKeys();
            checkListSizes();
        }
        return model;
    }

    /**
     * The line of an empty definition body ({@code type T {}}), or 0. GraphQL's grammar wants at least one field, value
     * or operation type between the braces (graphql-js rejects the empty body, graphql-java's parser reads it as no
     * body); an empty object value ({@code = {}}, after a colon, an equals sign, a bracket or a comma) is fine.
     */
    static int emptyBodyLine(String sdl) {
        int line = 1;
        char previous = 0;
        int length = sdl.length();
        for (int i = 0; i < length; i++) {
            char c = sdl.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#') {
                while (i + 1 < length && sdl.charAt(i + 1) != '\n') i++;
            } else if (c == '"') {
                boolean block = sdl.startsWith("\"\"\"", i);
                int end = block ? i + 3 : i + 1;
                while (end < length) {
                    char e = sdl.charAt(end);
                    if (block ? sdl.startsWith("\"\"\"", end) : e == '"' || e == '\n') break;
                    if (e == '\\') end++;
                    else if (e == '\n') line++;
                    end++;
                }
                i = block ? Math.min(length, end + 3) - 1 : Math.min(length - 1, end);
                previous = '"';
            } else if (c == '{') {
                boolean valueContext = previous == ':' || previous == '=' || previous == '[' || previous == ',' || previous == '{';
                int j = i + 1;
                while (j < length && (Character.isWhitespace(sdl.charAt(j)) || sdl.charAt(j) == ',')) j++;
                if (!valueContext && j < length && sdl.charAt(j) == '}') return line;
                previous = c;
            } else if (!Character.isWhitespace(c) && c != ',') {
                previous = c;
            } else if (c == ',') {
                previous = ',';
            }
        }
        return 0;
    }

    private static final Set<String> BUILT_IN_DIRECTIVES = Set.of("deprecated", "specifiedBy", "include", "skip", "oneOf", "link");

    /** Every applied directive must be a federation directive, a built-in, or defined in the subgraph, and allowed where it is. */
    private void checkKnownDirectives(Document document) {
        Set<String> defined = new HashSet<>(BUILT_IN_DIRECTIVES);
        defined.addAll(links.specNameByLocalName().keySet());
        Map<String, Set<String>> definedLocations = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof DirectiveDefinition directive) {
                defined.add(directive.getName());
                definedDirectives.putIfAbsent(directive.getName(), directive);
                definedLocations.put(directive.getName(), Set.copyOf(directive.getDirectiveLocations().stream().map(DirectiveLocation::getName).toList()));
                for (InputValueDefinition argument : directive.getInputValueDefinitions()) {
                    String at = "@" + directive.getName() + "(" + argument.getName() + ":)";
                    String site = at + "#" + ++sites;
                    argument.getDirectives().forEach(d -> applied.add(new Applied(d, "ARGUMENT_DEFINITION", at, site)));
                }
            }
        }
        for (Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case SchemaDefinition schema -> schema.getDirectives().forEach(d -> applied.add(new Applied(d, "SCHEMA", "schema", "schema")));
                case ObjectTypeDefinition object -> {
                    object.getDirectives().forEach(d -> applied.add(new Applied(d, "OBJECT", object.getName(), object.getName())));
                    object.getFieldDefinitions().forEach(f -> collect(object.getName(), f));
                }
                case InterfaceTypeDefinition object -> {
                    object.getDirectives().forEach(d -> applied.add(new Applied(d, "INTERFACE", object.getName(), object.getName())));
                    object.getFieldDefinitions().forEach(f -> collect(object.getName(), f));
                }
                case UnionTypeDefinition union -> union.getDirectives().forEach(d -> applied.add(new Applied(d, "UNION", union.getName(), union.getName())));
                case ScalarTypeDefinition scalar -> scalar.getDirectives().forEach(d -> applied.add(new Applied(d, "SCALAR", scalar.getName(), scalar.getName())));
                case EnumTypeDefinition enumType -> {
                    enumType.getDirectives().forEach(d -> applied.add(new Applied(d, "ENUM", enumType.getName(), enumType.getName())));
                    for (EnumValueDefinition value : enumType.getEnumValueDefinitions()) {
                        String at = enumType.getName() + "." + value.getName();
                        String site = at + "#" + ++sites;
                        value.getDirectives().forEach(d -> applied.add(new Applied(d, "ENUM_VALUE", at, site)));
                    }
                }
                case InputObjectTypeDefinition input -> {
                    input.getDirectives().forEach(d -> applied.add(new Applied(d, "INPUT_OBJECT", input.getName(), input.getName())));
                    for (InputValueDefinition field : input.getInputValueDefinitions()) {
                        String at = input.getName() + "." + field.getName();
                        String site = at + "#" + ++sites;
                        field.getDirectives().forEach(d -> applied.add(new Applied(d, "INPUT_FIELD_DEFINITION", at, site)));
                    }
                }
                default -> { }
            }
        }
        Set<String> reported = new HashSet<>();
        for (Applied use : applied) {
            Directive directive = use.directive();
            links.specName(directive.getName()).ifPresent(spec -> model.appliedSpecNames.putIfAbsent(spec, directive.getName()));
            // Federation 1 had no @inaccessible of its own: a Fed 1 subgraph must define it to use it
            boolean fed1Inaccessible = !links.federation2() && directive.getName().equals("inaccessible") && !definedLocations.containsKey("inaccessible");
            if (defined.contains(directive.getName()) && !fed1Inaccessible) {
                Set<String> allowed = allowedLocations(directive.getName(), definedLocations);
                if (allowed != null && !allowed.contains(use.location()) && reported.add(directive.getName() + "@" + use.location())) {
                    errors.add(error("INVALID_GRAPHQL", null, line(directive.getSourceLocation()), "Directive \"@" + directive.getName()
                            + "\" may not be used on " + use.location() + ".", "remove @" + directive.getName() + " here: it may be used on "
                            + String.join(", ", allowed.stream().sorted().toList())));
                }
                continue;
            }
            if (!reported.add(directive.getName())) continue;
            boolean federation = FederationLinks.DIRECTIVES.containsKey(directive.getName());
            String unknown = "Unknown directive \"@" + directive.getName() + "\"." + (federation && !links.federation2()
                    ? " If you meant the \"@" + directive.getName() + "\" federation 2 directive, note that this schema is a federation 1 schema."
                    + " To be a federation 2 schema, it needs to @link to the federation specifcation v2." : "");
            errors.add(error("INVALID_GRAPHQL", null, line(directive.getSourceLocation()), unknown,
                    federation && links.federation2()
                            ? "add \"@" + directive.getName() + "\" to the import list of the federation @link, or write @federation__" + directive.getName()
                            : federation ? "link the subgraph to federation 2 (extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\","
                            + " import: [\"@" + directive.getName() + "\"])), or remove @" + directive.getName()
                            : "define the directive in this subgraph (directive @" + directive.getName() + " on ...) or remove it"));
        }
    }

    /**
     * An applied directive, the type-system location it is applied at, the coordinate of what it is applied to, and
     * the site GraphQL's "directives are unique per location" rule counts it at: a type with all its extensions, or one
     * field, argument, enum value or input field definition (the same coordinate written twice is two sites).
     */
    private record Applied(Directive directive, String location, String coordinate, String site) {}

    /** Numbers the sites of {@link Applied}: two definitions with one name are two sites. */
    private int sites;

    private final Map<String, DirectiveDefinition> definedDirectives = new HashMap<>();

    private final List<Applied> applied = new ArrayList<>();

    private static final Map<String, Set<String>> BUILT_IN_LOCATIONS = Map.of(
            "deprecated", Set.of("FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE"),
            "specifiedBy", Set.of("SCALAR"), "oneOf", Set.of("INPUT_OBJECT"), "link", Set.of("SCHEMA"));

    /** Where a directive may be applied: its definition in the subgraph, else the federation spec's, else the built-in's. */
    private Set<String> allowedLocations(String name, Map<String, Set<String>> definedLocations) {
        Set<String> own = definedLocations.get(name);
        if (own != null) return own;
        String spec = links.specName(name).orElse(null);
        if (spec != null) {
            DirectiveSpec federation = DIRECTIVE_SPECS.get(spec);
            return federation == null ? null : federation.locations();
        }
        return BUILT_IN_LOCATIONS.get(name);
    }

    private void collect(String typeName, FieldDefinition field) {
        String at = typeName + "." + field.getName();
        String site = at + "#" + ++sites;
        field.getDirectives().forEach(d -> applied.add(new Applied(d, "FIELD_DEFINITION", at, site)));
        for (InputValueDefinition argument : field.getInputValueDefinitions()) {
            String argumentAt = at + "(" + argument.getName() + ":)";
            String argumentSite = argumentAt + "#" + ++sites;
            argument.getDirectives().forEach(d -> applied.add(new Applied(d, "ARGUMENT_DEFINITION", argumentAt, argumentSite)));
        }
    }

    private boolean isMachinery(String name) {
        return MACHINERY_TYPES.contains(name) || name.startsWith("federation__") || name.startsWith("link__")
                || name.startsWith("join__");
    }

    /** Root renames and composed directives; false when a root type's default name is taken by another type. */
    private boolean readSchemaDefinitions(Document document) {
        Set<String> typeNames = new HashSet<>();
        Map<String, String> kinds = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type) {
                typeNames.add(type.getName());
                if (!(definition instanceof ObjectTypeDefinition)) {
                    kinds.putIfAbsent(type.getName(), switch (definition) {
                        case InterfaceTypeDefinition ignored -> "InterfaceType";
                        case UnionTypeDefinition ignored -> "UnionType";
                        case EnumTypeDefinition ignored -> "EnumType";
                        case InputObjectTypeDefinition ignored -> "InputObjectType";
                        default -> "ScalarType";
                    });
                } else {
                    kinds.put(type.getName(), "ObjectType");
                }
            }
        }
        boolean rootsUsable = true;
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schema)) continue;
            for (OperationTypeDefinition operation : schema.getOperationTypeDefinitions()) {
                String canonical = switch (operation.getName()) {
                    case "query" -> "Query";
                    case "mutation" -> "Mutation";
                    default -> "Subscription";
                };
                String typeName = operation.getTypeName().getName();
                String kind = kinds.get(typeName);
                if (kind == null || !kind.equals("ObjectType")) {
                    // the root must be an object type of this subgraph
                    errors.add(error("INVALID_GRAPHQL", canonical, line(operation.getSourceLocation()), kind == null
                                    ? "Cannot set schema " + operation.getName() + " root to unknown type " + typeName
                                    : canonical + " root type must be an Object type" + (operation.getName().equals("query") ? "" : " if provided")
                                    + ", it cannot be set to " + typeName + " (an " + kind + ").",
                            kind == null ? "define type " + typeName + " in this subgraph, or name an existing object type as the " + operation.getName() + " root"
                                    : "name an object type as the " + operation.getName() + " root"));
                    rootsUsable = false;
                    continue;
                }
                if (!typeName.equals(canonical) && typeNames.contains(canonical)) {
                    // the supergraph names every root by its default name: the other type would collide with it
                    errors.add(error("ROOT_" + operation.getName().toUpperCase(Locale.ROOT) + "_USED", canonical,
                            line(operation.getSourceLocation()), "The schema has a type named \"" + canonical + "\" but it is not set as the "
                                    + operation.getName() + " root type (\"" + typeName + "\" is instead): this is not supported by federation."
                                    + " If a root type does not use its default name, there should be no other type with that default name.",
                            "rename type " + canonical + " (it is not the " + operation.getName() + " root), or make " + canonical
                                    + " the " + operation.getName() + " root instead of " + typeName));
                    rootsUsable = false;
                }
                String already = rootRenames.get(typeName);
                if (already != null && !already.equals(canonical)) {
                    errors.add(error("INVALID_GRAPHQL", typeName, line(operation.getSourceLocation()), "Type \"" + typeName + "\" is set as the root of both the "
                            + already.toLowerCase(Locale.ROOT) + " and the " + operation.getName() + " operations: a type can be the root of one operation only",
                            "give the " + operation.getName() + " root a type of its own"));
                    rootsUsable = false;
                    continue;
                }
                rootRenames.put(typeName, canonical);
            }
            for (Directive directive : schema.getDirectives()) {
                if (links.isFederationDirective(directive.getName(), "composeDirective")) {
                    String name = stringArgument(directive, "name");
                    if (name == null) continue;
                    int line = line(directive.getSourceLocation());
                    if (!name.startsWith("@")) {
                        errors.add(error("DIRECTIVE_COMPOSITION_ERROR", null, line, "Argument to @composeDirective \"" + name
                                + "\" in subgraph \"" + source.name() + "\" must have a leading \"@\"", "write @composeDirective(name: \"@" + name + "\")"));
                        continue;
                    }
                    String bare = name.substring(1);
                    if (links.specName(bare).isPresent() || FederationLinks.DIRECTIVES.containsKey(bare) && !links.federation2()) {
                        errors.add(error("DIRECTIVE_COMPOSITION_ERROR", null, line, "Composing federation directive \"" + name
                                + "\" in subgraph \"" + source.name() + "\" is not supported",
                                "remove @composeDirective(name: \"" + name + "\"): federation directives reach the supergraph by themselves"));
                        continue;
                    }
                    composedNames.add(bare);
                }
            }
        }
        return rootsUsable;
    }

    /** A spec directive's arguments and locations, as the federation spec defines it. */
    private record DirectiveSpec(Map<String, ArgumentSpec> arguments, Set<String> locations) {}

    /** {@code type}: the named type with its wrapping; a field set accepts any scalar name (String!, FieldSet!...). */
    private record ArgumentSpec(String type, String defaultValue) {
        boolean required() {
            return type.endsWith("!") && defaultValue == null;
        }
    }

    private static final Set<String> ON_FIELDS_AND_TYPES = Set.of("FIELD_DEFINITION", "OBJECT", "INTERFACE", "SCALAR", "ENUM");
    private static final Set<String> TAGGABLE = Set.of("FIELD_DEFINITION", "OBJECT", "INTERFACE", "UNION", "ARGUMENT_DEFINITION",
            "SCALAR", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION", "SCHEMA");
    private static final Map<String, DirectiveSpec> DIRECTIVE_SPECS = Map.ofEntries(
            Map.entry("key", new DirectiveSpec(Map.of("fields", new ArgumentSpec("FieldSet!", null), "resolvable", new ArgumentSpec("Boolean", "true")), Set.of("OBJECT", "INTERFACE"))),
            Map.entry("requires", new DirectiveSpec(Map.of("fields", new ArgumentSpec("FieldSet!", null)), Set.of("FIELD_DEFINITION"))),
            Map.entry("provides", new DirectiveSpec(Map.of("fields", new ArgumentSpec("FieldSet!", null)), Set.of("FIELD_DEFINITION"))),
            Map.entry("external", new DirectiveSpec(Map.of("reason", new ArgumentSpec("String", null)), Set.of("OBJECT", "FIELD_DEFINITION"))),
            Map.entry("shareable", new DirectiveSpec(Map.of(), Set.of("OBJECT", "FIELD_DEFINITION"))),
            Map.entry("extends", new DirectiveSpec(Map.of(), Set.of("OBJECT", "INTERFACE"))),
            Map.entry("override", new DirectiveSpec(Map.of("from", new ArgumentSpec("String!", null), "label", new ArgumentSpec("String", null)), Set.of("FIELD_DEFINITION"))),
            Map.entry("tag", new DirectiveSpec(Map.of("name", new ArgumentSpec("String!", null)), TAGGABLE)),
            Map.entry("inaccessible", new DirectiveSpec(Map.of(), TAGGABLE)),
            Map.entry("composeDirective", new DirectiveSpec(Map.of("name", new ArgumentSpec("String", null)), Set.of("SCHEMA"))),
            Map.entry("interfaceObject", new DirectiveSpec(Map.of(), Set.of("OBJECT"))),
            Map.entry("authenticated", new DirectiveSpec(Map.of(), ON_FIELDS_AND_TYPES)),
            Map.entry("requiresScopes", new DirectiveSpec(Map.of("scopes", new ArgumentSpec("[[Scope!]!]!", null)), ON_FIELDS_AND_TYPES)),
            Map.entry("policy", new DirectiveSpec(Map.of("policies", new ArgumentSpec("[[Policy!]!]!", null)), ON_FIELDS_AND_TYPES)),
            Map.entry("context", new DirectiveSpec(Map.of("name", new ArgumentSpec("String!", null)), Set.of("INTERFACE", "OBJECT", "UNION"))),
            Map.entry("fromContext", new DirectiveSpec(Map.of("field", new ArgumentSpec("ContextFieldValue", null)), Set.of("ARGUMENT_DEFINITION"))),
            Map.entry("cost", new DirectiveSpec(Map.of("weight", new ArgumentSpec("Int!", null)), Set.of("ARGUMENT_DEFINITION", "ENUM",
                    "FIELD_DEFINITION", "INPUT_FIELD_DEFINITION", "OBJECT", "SCALAR"))),
            Map.entry("listSize", new DirectiveSpec(Map.of("assumedSize", new ArgumentSpec("Int", null), "slicingArguments",
                    new ArgumentSpec("[String!]", null), "sizedFields", new ArgumentSpec("[String!]", null), "requireOneSlicingArgument",
                    new ArgumentSpec("Boolean", "true")), Set.of("FIELD_DEFINITION"))));

    /**
     * A subgraph may write out a federation directive's definition, but it must be the spec's (or a compatible one:
     * fewer locations, a scalar of its own for a field set): composition reads the directive by the spec's meaning.
     */
    private void checkFederationDirectiveDefinition(DirectiveDefinition definition, String spec) {
        DirectiveSpec expected = DIRECTIVE_SPECS.get(spec);
        if (expected == null) return;
        String name = "\"@" + definition.getName() + "\"";
        String what = "Invalid definition for directive " + name + ": ";
        String hint = "remove the definition (federation provides it) or copy the spec's definition of @" + spec;
        int line = line(definition.getSourceLocation());
        Map<String, InputValueDefinition> actual = new HashMap<>();
        for (InputValueDefinition argument : definition.getInputValueDefinitions()) {
            actual.put(argument.getName(), argument);
            ArgumentSpec argumentSpec = expected.arguments().get(argument.getName());
            if (argumentSpec == null) {
                errors.add(error("DIRECTIVE_DEFINITION_INVALID", null, line(argument.getSourceLocation()), what
                        + "unknown/unsupported argument \"" + argument.getName() + "\"", hint));
                continue;
            }
            String type = SdlValues.type(argument.getType());
            boolean fieldSet = argumentSpec.type().equals("FieldSet!");
            if (fieldSet ? !type.endsWith("!") || type.startsWith("[") : !namedType(argument.getType()).equals(namedType(expectedType(argumentSpec)))
                    && !argumentSpec.type().contains("Scope") && !argumentSpec.type().contains("Policy") && !argumentSpec.type().contains("ContextFieldValue")) {
                errors.add(error("DIRECTIVE_DEFINITION_INVALID", null, line(argument.getSourceLocation()), what + "argument \"" + argument.getName()
                        + "\" should have type \"" + (fieldSet ? "federation__FieldSet!" : argumentSpec.type()) + "\" but found type \"" + type + "\"", hint));
            } else if (argumentSpec.defaultValue() != null && argument.getDefaultValue() != null
                    && !SdlValues.value(argument.getDefaultValue()).equals(argumentSpec.defaultValue())) {
                errors.add(error("DIRECTIVE_DEFINITION_INVALID", null, line(argument.getSourceLocation()), what + "argument \"" + argument.getName()
                        + "\" should have default value " + argumentSpec.defaultValue() + " but found default value "
                        + SdlValues.value(argument.getDefaultValue()), hint));
            }
        }
        expected.arguments().forEach((argument, argumentSpec) -> {
            if (argumentSpec.required() && !actual.containsKey(argument)) {
                errors.add(error("DIRECTIVE_DEFINITION_INVALID", null, line, what + "missing required argument \"" + argument + "\"", hint));
            }
        });
        List<String> locations = definition.getDirectiveLocations().stream().map(DirectiveLocation::getName).toList();
        if (!expected.locations().containsAll(locations)) {
            errors.add(error("DIRECTIVE_DEFINITION_INVALID", null, line, what + name + " should have locations "
                    + String.join(", ", expected.locations().stream().sorted().toList()) + ", but found (non-subset) " + String.join(", ", locations),
                    "keep only locations the spec allows for @" + spec));
        }
    }

    /** Parsed once per text: every applied directive's arguments are checked, and each parse sets up a whole parser. */
    private static final Map<String, Type<?>> PARSED_TYPES = new ConcurrentHashMap<>();

    private static Type<?> expectedType(ArgumentSpec spec) {
        return PARSED_TYPES.computeIfAbsent(spec.type(), Parser::parseType);
    }

    /** Federation's own types (FieldSet, _Any, Scope...), when a subgraph writes them out, must keep their kind. */
    private void checkFederationTypeDefinitions(Document document) {
        Map<String, String> expectedKinds = new HashMap<>();
        expectedKinds.put("_Any", "ScalarType");
        expectedKinds.put("link__Import", "ScalarType");
        expectedKinds.put("link__Purpose", "EnumType");
        if (links.federation2()) {
            for (String scalar : List.of("FieldSet", "Scope", "Policy", "ContextFieldValue")) expectedKinds.put("federation__" + scalar, "ScalarType");
            importedFederationTypes(document).forEach((local, spec) -> expectedKinds.put(local, "ScalarType"));
        } else {
            expectedKinds.put("_FieldSet", "ScalarType");
        }
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof TypeDefinition<?> type)) continue;
            String expected = expectedKinds.get(type.getName());
            String actual = switch (definition) {
                case ObjectTypeDefinition ignored -> "ObjectType";
                case InterfaceTypeDefinition ignored -> "InterfaceType";
                case UnionTypeDefinition ignored -> "UnionType";
                case EnumTypeDefinition ignored -> "EnumType";
                case InputObjectTypeDefinition ignored -> "InputObjectType";
                default -> "ScalarType";
            };
            if (expected != null && !expected.equals(actual)) {
                errors.add(error("TYPE_DEFINITION_INVALID", type.getName(), line(type.getSourceLocation()), "Invalid definition for type "
                        + type.getName() + ": " + type.getName() + " should be a " + expected + " but is defined as a " + actual,
                        "remove the definition of " + type.getName() + " (federation provides it), or rename your own type"));
            }
        }
    }

    /** Type imports of the federation @link ("FieldSet", {name: "Scope", as: "MyScope"}): local name to spec name. */
    private static Map<String, String> importedFederationTypes(Document document) {
        Map<String, String> imported = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schema)) continue;
            for (Directive link : schema.getDirectives()) {
                Argument url = link.getArgument("url");
                Argument imports = link.getArgument("import");
                if (!link.getName().equals("link") || url == null || imports == null || !(url.getValue() instanceof StringValue u)
                        || !u.getValue().startsWith(FederationLinks.FEDERATION_SPEC)) continue;
                List<Value> items = imports.getValue() instanceof ArrayValue array ? array.getValues() : List.of(imports.getValue());
                for (Value<?> item : items) {
                    String name = null;
                    String as = null;
                    if (item instanceof StringValue s) name = s.getValue();
                    if (item instanceof ObjectValue object) {
                        for (ObjectField field : object.getObjectFields()) {
                            if (field.getValue() instanceof StringValue s && field.getName().equals("name")) name = s.getValue();
                            if (field.getValue() instanceof StringValue s && field.getName().equals("as")) as = s.getValue();
                        }
                    }
                    if (name != null && !name.startsWith("@")) imported.put(as == null ? name : as, name);
                }
            }
        }
        return imported;
    }

    private String rename(String typeName) {
        return rootRenames.getOrDefault(typeName, typeName);
    }

    private void readDirectiveDefinition(DirectiveDefinition definition) {
        String spec = links.specName(definition.getName()).orElse(null);
        if (spec != null && links.federation2()) checkFederationDirectiveDefinition(definition, spec);
        if (spec != null || definition.getName().equals("link")) return;
        if (composedNames.contains(definition.getName())) {
            model.composedDirectives.put(definition.getName(), definition);
            return;
        }
        model.otherDirectives.put(definition.getName(), definition);
        boolean executable = !definition.getDirectiveLocations().isEmpty() && definition.getDirectiveLocations().stream()
                .map(DirectiveLocation::getName).anyMatch(SubgraphReader::isExecutableLocation);
        if (executable) model.executableDirectives.add(definition);
    }

    static boolean isExecutableLocation(String location) {
        return Set.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
                "INLINE_FRAGMENT", "VARIABLE_DEFINITION").contains(location);
    }

    private void readType(TypeDefinition<?> definition) {
        String name = rename(definition.getName());
        Kind kind = switch (definition) {
            case ObjectTypeDefinition ignored -> Kind.OBJECT;
            case InterfaceTypeDefinition ignored -> Kind.INTERFACE;
            case UnionTypeDefinition ignored -> Kind.UNION;
            case EnumTypeDefinition ignored -> Kind.ENUM;
            case InputObjectTypeDefinition ignored -> Kind.INPUT_OBJECT;
            case ScalarTypeDefinition ignored -> Kind.SCALAR;
            default -> throw new IllegalStateException("unexpected definition " + definition);
        };
        boolean isExtension = definition instanceof ObjectTypeExtensionDefinition
                || definition instanceof InterfaceTypeExtensionDefinition
                || definition instanceof UnionTypeExtensionDefinition
                || definition instanceof EnumTypeExtensionDefinition
                || definition instanceof InputObjectTypeExtensionDefinition
                || definition instanceof ScalarTypeExtensionDefinition;
        TypeModel existing = model.types.get(name);
        if (existing == null) {
            existing = new TypeModel(name, kind, line(definition.getSourceLocation()));
            model.types.put(name, existing);
        } else if (existing.kind != kind) {
            errors.add(error("INVALID_GRAPHQL", name, line(definition.getSourceLocation()),
                    "Type \"" + name + "\" is defined both as " + existing.kind.keyword + " and as " + kind.keyword + " in this subgraph",
                    "a type has one kind; rename one of them"));
            return;
        }
        TypeModel type = existing;
        if (!isExtension) type.hasDefinition = true;
        else type.hasExtensionDefinition = true;
        int shareables = 0;
        String description = description((DescribedNode<?>) definition);
        if (description != null && type.description == null) type.description = description;
        boolean externalType = false;
        for (Directive directive : definition.getDirectives()) {
            String spec = links.specName(directive.getName()).orElse(null);
            if (spec == null) {
                passThrough(directive, type.passThrough);
                continue;
            }
            switch (spec) {
                case "key" -> {
                    String fields = fieldSetArgument(directive);
                    Argument resolvable = directive.getArgument("resolvable");
                    boolean isResolvable = resolvable == null || !(resolvable.getValue() instanceof BooleanValue b) || b.isValue();
                    if (fields == null && directive.getArgument("fields") != null) {
                        errors.add(error("KEY_INVALID_FIELDS_TYPE", name, line(directive.getSourceLocation()), "On type \"" + name + "\", for "
                                + SdlValues.directive(directive) + ": Invalid value for argument \"fields\": must be a string.",
                                "quote the field set: @key(fields: \"id\")"));
                    } else if (fields == null) {
                        errors.add(error("KEY_INVALID_FIELDS", name, line(directive.getSourceLocation()),
                                "@key on \"" + name + "\" has no fields argument", "write @key(fields: \"id\")"));
                    } else if (kind == Kind.INTERFACE && links.federation2() && links.minorVersion() >= 0 && links.minorVersion() < 3) {
                        errors.add(error("KEY_UNSUPPORTED_ON_INTERFACE", name, line(directive.getSourceLocation()),
                                "Cannot use @key on interface \"" + name + "\": @key is not yet supported on interfaces",
                                "link federation v2.3 or later (@key on interfaces came with 2.3), or move the key to the implementations"));
                    } else {
                        type.keys.add(new Key(fields, isResolvable, resolvable != null, line(directive.getSourceLocation())));
                    }
                }
                case "extends" -> type.extendsDirective = true;
                case "shareable" -> {
                    type.shareable = true;
                    if (++shareables == 2) {
                        errors.add(error("INVALID_SHAREABLE_USAGE", name, line(directive.getSourceLocation()),
                                "Invalid duplicate application of @shareable on the same type declaration of \"" + name + "\": @shareable is only"
                                        + " repeatable on types so it can be used simultaneously on a type definition and its extensions, but it"
                                        + " should not be duplicated on the same definition/extension declaration", "keep one @shareable on this declaration"));
                    }
                }
                case "interfaceObject" -> type.interfaceObject = true;
                case "inaccessible" -> type.inaccessible = true;
                case "external" -> externalType = true;
                case "context" -> {
                    String contextName = stringArgument(directive, "name");
                    if (contextName != null) {
                        checkContextName(name, contextName, line(directive.getSourceLocation()));
                        type.contexts.add(contextName);
                    }
                }
                default -> {
                    if (PASS_THROUGH.contains(spec)) type.passThrough.add(directive.transform(b -> b.name(spec)));
                }
            }
        }
        if (links.federation2() && (kind == Kind.INTERFACE || type.interfaceObject)) {
            for (Directive directive : definition.getDirectives()) {
                String spec = links.specName(directive.getName()).orElse("");
                if (AUTH_DIRECTIVES.contains(spec)) {
                    String what = kind == Kind.INTERFACE ? "interface" : "interface object";
                    errors.add(error("AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE", name, line(directive.getSourceLocation()),
                            "Invalid use of @" + spec + " on " + what + " \"" + name + "\": @" + spec
                                    + " cannot be applied on interfaces, interface fields and interface objects",
                            "put @" + spec + " on the object types implementing " + name + " (and their fields) instead"));
                }
            }
        }
        switch (definition) {
            case ObjectTypeDefinition object -> {
                object.getImplements().forEach(t -> type.interfaces.add(((TypeName) t).getName()));
                for (FieldDefinition field : object.getFieldDefinitions()) readField(type, field, externalType && links.federation2());
            }
            case InterfaceTypeDefinition object -> {
                object.getImplements().forEach(t -> type.interfaces.add(((TypeName) t).getName()));
                for (FieldDefinition field : object.getFieldDefinitions()) readField(type, field, externalType);
            }
            case UnionTypeDefinition union -> union.getMemberTypes().forEach(t -> type.members.add(rename(((TypeName) t).getName())));
            case EnumTypeDefinition enumType -> {
                for (EnumValueDefinition value : enumType.getEnumValueDefinitions()) {
                    List<Directive> kept = new ArrayList<>();
                    boolean inaccessible = false;
                    for (Directive directive : value.getDirectives()) {
                        if (links.isFederationDirective(directive.getName(), "inaccessible")) inaccessible = true;
                        else keep(directive, kept);
                    }
                    type.values.put(value.getName(), new EnumValueModel(value.getName(), description(value), inaccessible, kept));
                }
            }
            case InputObjectTypeDefinition input -> {
                for (InputValueDefinition field : input.getInputValueDefinitions()) {
                    FieldModel model = new FieldModel(field.getName(), field.getType(), line(field.getSourceLocation()),
                            description(field), field.getDefaultValue());
                    readFieldDirectives(type, model, field.getDirectives());
                    type.fields.put(field.getName(), model);
                }
            }
            default -> { }
        }
    }

    private void readField(TypeModel type, FieldDefinition definition, boolean externalType) {
        if (type.name.equals("Query") && (definition.getName().equals("_service") || definition.getName().equals("_entities"))) return;
        FieldModel field = new FieldModel(definition.getName(), renameType(definition.getType()),
                line(definition.getSourceLocation()), description(definition), null);
        field.external = externalType;
        readFieldDirectives(type, field, definition.getDirectives());
        for (InputValueDefinition argument : definition.getInputValueDefinitions()) {
            boolean inaccessible = false;
            String fromContext = null;
            List<Directive> kept = new ArrayList<>();
            for (Directive directive : argument.getDirectives()) {
                if (links.isFederationDirective(directive.getName(), "inaccessible")) inaccessible = true;
                else if (links.isFederationDirective(directive.getName(), "fromContext")) fromContext = stringArgument(directive, "field");
                else keep(directive, kept);
            }
            field.arguments.put(argument.getName(), new ArgumentModel(argument.getName(), argument.getType(),
                    argument.getDefaultValue(), description(argument), inaccessible, kept, line(argument.getSourceLocation()), fromContext));
        }
        if (type.fields.containsKey(field.name)) {
            errors.add(error("INVALID_GRAPHQL", type.name + "." + field.name, field.line,
                    "Field \"" + type.name + "." + field.name + "\" is defined twice in this subgraph", "remove one definition"));
            return;
        }
        type.fields.put(field.name, field);
    }

    private void readFieldDirectives(TypeModel type, FieldModel field, List<Directive> directives) {
        String coordinate = type.name + "." + field.name;
        boolean onInterface = type.kind == Kind.INTERFACE && links.federation2();
        int shareables = 0;
        for (Directive directive : directives) {
            String spec = links.specName(directive.getName()).orElse(null);
            if (spec == null) {
                passThrough(directive, field.passThrough);
                continue;
            }
            int line = line(directive.getSourceLocation());
            switch (spec) {
                case "external" -> {
                    field.external = true;
                    if (onInterface) {
                        errors.add(error("EXTERNAL_ON_INTERFACE", coordinate, line, "Interface type field \"" + coordinate
                                + "\" is marked @external but @external is not allowed on interface fields (it is nonsensical).",
                                "remove @external from " + coordinate + "; mark the implementations' fields @external instead"));
                    }
                }
                case "shareable" -> {
                    field.shareable = true;
                    if (onInterface) {
                        errors.add(error("INVALID_SHAREABLE_USAGE", coordinate, line, "Invalid use of @shareable on field \"" + coordinate
                                + "\": only object type fields can be marked with @shareable",
                                "remove @shareable from " + coordinate + "; mark the implementations' fields @shareable instead"));
                    } else if (++shareables == 2) {
                        errors.add(error("INVALID_SHAREABLE_USAGE", coordinate, line, "Invalid duplicate application of @shareable on field \""
                                + coordinate + "\": @shareable is only repeatable on types so it can be used simultaneously on a type definition"
                                + " and its extensions, but it should not be duplicated on the same definition/extension declaration",
                                "keep one @shareable on " + coordinate));
                    }
                }
                case "inaccessible" -> field.inaccessible = true;
                case "requires", "provides" -> {
                    if (spec.equals("requires")) field.requires = fieldSetArgument(directive);
                    else field.provides = fieldSetArgument(directive);
                    if (directive.getArgument("fields") != null && fieldSetArgument(directive) == null) {
                        errors.add(error(spec.toUpperCase(Locale.ROOT) + "_INVALID_FIELDS_TYPE", coordinate, line, "On field \""
                                + coordinate + "\", for " + SdlValues.directive(directive) + ": Invalid value for argument \"fields\": must be a string.",
                                "quote the field set: @" + spec + "(fields: \"name\")"));
                    }
                    if (spec.equals("provides") && links.federation2() && directives.stream().anyMatch(d -> links.isFederationDirective(d.getName(), "external"))) {
                        errors.add(error("EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE", coordinate, line, "Cannot have both @provides and @external on field \""
                                + coordinate + "\"", "remove @external from " + coordinate + ": a field that provides others is resolved here"));
                    }
                    if (onInterface) {
                        errors.add(error(spec.toUpperCase(Locale.ROOT) + "_UNSUPPORTED_ON_INTERFACE", coordinate, line,
                                "Cannot use @" + spec + " on field \"" + coordinate + "\" of parent type \"" + type.name + "\": @" + spec
                                        + " is not yet supported within interfaces",
                                "remove @" + spec + " from the interface field; put it on the implementations' " + field.name + " fields"));
                    }
                }
                case "override" -> {
                    if (type.kind == Kind.INTERFACE) {
                        errors.add(error("OVERRIDE_ON_INTERFACE", coordinate, line, "@override cannot be used on field \"" + coordinate
                                + "\" on subgraph \"" + source.name() + "\": @override is not supported on interface type fields.",
                                "remove @override from " + coordinate + "; put it on the implementations' " + field.name + " fields"));
                    } else {
                        field.overrideFrom = stringArgument(directive, "from");
                        field.overrideLabel = stringArgument(directive, "label");
                    }
                }
                default -> {
                    if (PASS_THROUGH.contains(spec)) field.passThrough.add(directive.transform(b -> b.name(spec)));
                    if (onInterface && spec.equals("cost")) {
                        errors.add(error("COST_APPLIED_TO_INTERFACE_FIELD", coordinate, line, "@cost cannot be applied to interface \""
                                + coordinate + "\"", "put @cost on the implementations' " + field.name + " fields"));
                    }
                    if (onInterface && AUTH_DIRECTIVES.contains(spec)) {
                        errors.add(error("AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE", coordinate, line, "Invalid use of @" + spec
                                + " on field \"" + coordinate + "\": @" + spec + " cannot be applied on interfaces, interface fields and interface objects",
                                "put @" + spec + " on the implementations' " + field.name + " fields instead"));
                    }
                }
            }
        }
    }

    /** Built-in directives (@deprecated, @specifiedBy) and composed ones reach the supergraph; others stay behind. */
    private void passThrough(Directive directive, List<Directive> into) {
        keep(directive, into);
    }

    private void keep(Directive directive, List<Directive> into) {
        String spec = links.specName(directive.getName()).orElse(null);
        if (spec != null) {
            if (PASS_THROUGH.contains(spec)) into.add(directive.transform(b -> b.name(spec)));
            return;
        }
        if (directive.getName().equals("deprecated") || directive.getName().equals("specifiedBy")
                || composedNames.contains(directive.getName())) {
            into.add(directive);
        }
    }

    private Type<?> renameType(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> NonNullType.newNonNullType(renameType(nonNull.getType())).build();
            case ListType list -> ListType.newListType(renameType(list.getType())).build();
            case TypeName name -> rootRenames.containsKey(name.getName()) ? TypeName.newTypeName(rename(name.getName())).build() : name;
            default -> type;
        };
    }

    /**
     * GraphQL's rules for a type implementing an interface, within this subgraph (Apollo validates every subgraph
     * with them): each interface field present, with a covariant type, its arguments with the same types, and no
     * extra required argument.
     */
    private void checkInterfaceImplementations() {
        for (TypeModel type : model.types.values()) {
            if (type.kind != Kind.OBJECT && type.kind != Kind.INTERFACE) continue;
            for (String interfaceName : type.interfaces) {
                TypeModel declared = model.types.get(interfaceName);
                if (declared == null || declared.kind != Kind.INTERFACE) continue;
                for (FieldModel expected : declared.fields.values()) {
                    String itfCoordinate = interfaceName + "." + expected.name;
                    FieldModel field = type.fields.get(expected.name);
                    String coordinate = type.name + "." + expected.name;
                    if (field == null) {
                        errors.add(error("INVALID_GRAPHQL", type.name, type.line, "Interface field " + itfCoordinate + " expected but "
                                + type.name + " does not provide it.", "add " + expected.name + ": " + SdlValues.type(expected.type) + " to "
                                + type.name + " in this subgraph (with @external if another subgraph resolves it), or stop implementing " + interfaceName));
                        continue;
                    }
                    if (!covariant(expected.type, field.type)) {
                        errors.add(error("INVALID_GRAPHQL", coordinate, field.line, "Interface field " + itfCoordinate + " expects type "
                                + SdlValues.type(expected.type) + " but " + coordinate + " of type " + SdlValues.type(field.type)
                                + " is not a proper subtype.", "give " + coordinate + " the type " + SdlValues.type(expected.type)
                                + " (or a non-null or more specific form of it)"));
                    }
                    for (ArgumentModel argument : expected.arguments.values()) {
                        ArgumentModel own = field.arguments.get(argument.name());
                        String argumentCoordinate = itfCoordinate + "(" + argument.name() + ":)";
                        if (own == null) {
                            errors.add(error("INVALID_GRAPHQL", coordinate, field.line, "Interface field argument " + argumentCoordinate
                                    + " expected but " + coordinate + " does not provide it.", "add the argument " + argument.name() + ": "
                                    + SdlValues.type(argument.type()) + " to " + coordinate));
                        } else if (!SdlValues.type(own.type()).equals(SdlValues.type(argument.type()))) {
                            errors.add(error("INVALID_GRAPHQL", coordinate, own.line(), "Interface field argument " + argumentCoordinate
                                    + " expects type " + SdlValues.type(argument.type()) + " but " + coordinate + "(" + argument.name()
                                    + ":) is type " + SdlValues.type(own.type()) + ".", "give the argument the type " + SdlValues.type(argument.type())));
                        }
                    }
                    for (ArgumentModel own : field.arguments.values()) {
                        if (expected.arguments.containsKey(own.name()) || !(own.type() instanceof NonNullType) || own.defaultValue() != null) continue;
                        errors.add(error("INVALID_GRAPHQL", coordinate, own.line(), "Field " + coordinate + " includes required argument "
                                + own.name() + " that is missing from the Interface field " + itfCoordinate + ".",
                                "make " + own.name() + " optional (nullable or with a default), or add it to " + itfCoordinate));
                    }
                }
            }
        }
    }

    /** An argument a directive takes: its name, type, and whether it has a default. */
    private record DirectiveArgument(String name, Type<?> type, boolean hasDefault) {
        boolean required() {
            return type instanceof NonNullType && !hasDefault;
        }
    }

    private static final Map<String, List<DirectiveArgument>> BUILT_IN_ARGUMENTS = Map.of(
            "deprecated", List.of(new DirectiveArgument("reason", Parser.parseType("String"), true)),
            "specifiedBy", List.of(new DirectiveArgument("url", Parser.parseType("String!"), false)),
            "oneOf", List.of(),
            "link", List.of(new DirectiveArgument("url", Parser.parseType("String"), false),
                    new DirectiveArgument("as", Parser.parseType("String"), false),
                    new DirectiveArgument("for", Parser.parseType("link__Purpose"), false),
                    new DirectiveArgument("import", Parser.parseType("[link__Import]"), false)));

    /** The arguments a directive applied in this subgraph takes, or null when the directive is unknown. */
    private List<DirectiveArgument> directiveArguments(String name) {
        String spec = links.specName(name).orElse(null);
        if (spec != null) {
            DirectiveSpec federation = DIRECTIVE_SPECS.get(spec);
            if (federation == null) return null;
            List<DirectiveArgument> arguments = new ArrayList<>();
            federation.arguments().forEach((argument, type) -> {
                // @override(label:) came with federation 2.7
                if (spec.equals("override") && argument.equals("label") && links.federation2() && links.minorVersion() >= 0
                        && links.minorVersion() < 7) return;
                arguments.add(new DirectiveArgument(argument, expectedType(type), type.defaultValue() != null));
            });
            return arguments;
        }
        DirectiveDefinition own = definedDirectives.get(name);
        if (own != null) {
            return own.getInputValueDefinitions().stream()
                    .map(a -> new DirectiveArgument(a.getName(), a.getType(), a.getDefaultValue() != null)).toList();
        }
        return BUILT_IN_ARGUMENTS.get(name);
    }

    /** Directives with a repeatable definition, local names. */
    private boolean repeatable(String name) {
        String spec = links.specName(name).orElse(null);
        if (spec != null) {
            return switch (spec) {
                case "key", "tag", "composeDirective", "context" -> true;
                // a duplicated @shareable is INVALID_SHAREABLE_USAGE (repeatable from 2.2, for definitions and extensions)
                case "shareable" -> true;
                default -> false;
            };
        }
        DirectiveDefinition own = definedDirectives.get(name);
        if (own != null) return own.isRepeatable();
        return name.equals("link");
    }

    /**
     * GraphQL's rules for applied directives, which Apollo runs on every subgraph: arguments the directive takes, each
     * once, the required ones given, values of the argument's type (Apollo's coercion: a custom scalar takes any
     * literal, an enum value may be written as a string), and a non-repeatable directive once per location.
     */
    private void checkDirectiveApplications() {
        Map<String, Set<String>> seenAtSite = new HashMap<>();
        for (Applied use : applied) {
            Directive directive = use.directive();
            String name = directive.getName();
            List<DirectiveArgument> arguments = directiveArguments(name);
            if (arguments == null) continue; // unknown: reported as such
            int line = line(directive.getSourceLocation());
            String spec = links.specName(name).orElse(null);
            if (!repeatable(name) && !seenAtSite.computeIfAbsent(use.site(), s -> new HashSet<>()).add(name)) {
                errors.add(error("INVALID_GRAPHQL", use.coordinate().equals("schema") ? null : use.coordinate(), line,
                        "The directive \"@" + name + "\" can only be used once at this location.",
                        "remove the second @" + name + " from " + use.coordinate()));
            }
            Set<String> given = new HashSet<>();
            for (Argument argument : directive.getArguments()) {
                if (!given.add(argument.getName())) {
                    errors.add(error("INVALID_GRAPHQL", coordinateOf(use), line, "There can be only one argument named \"" + argument.getName() + "\".",
                            "give " + argument.getName() + " once in @" + name));
                    continue;
                }
                DirectiveArgument expected = arguments.stream().filter(a -> a.name().equals(argument.getName())).findFirst().orElse(null);
                if (expected == null) {
                    String known = arguments.isEmpty() ? "@" + name + " takes no arguments"
                            : "@" + name + " takes " + String.join(", ", arguments.stream().map(DirectiveArgument::name).toList());
                    errors.add(error("INVALID_GRAPHQL", coordinateOf(use), line, "Unknown argument \"" + argument.getName() + "\" on directive \"@"
                            + name + "\".", "remove " + argument.getName() + ": " + known));
                    continue;
                }
                if (!applicationValue(argument.getValue(), expected.type())) {
                    errors.add(error("INVALID_GRAPHQL", coordinateOf(use), line, "Invalid value for \"@" + name + "(" + expected.name() + ":)\" of type \""
                            + SdlValues.type(expected.type()) + "\" in application of \"@" + name + "\" to \"" + use.coordinate() + "\".",
                            "give " + expected.name() + " a value of type " + SdlValues.type(expected.type()) + " (got " + SdlValues.value(argument.getValue()) + ")"));
                }
            }
            for (DirectiveArgument argument : arguments) {
                if (!argument.required() || given.contains(argument.name())) continue;
                // a @key without fields is KEY_INVALID_FIELDS, reported where keys are read
                if ("key".equals(spec) && argument.name().equals("fields")) continue;
                errors.add(error("INVALID_GRAPHQL", coordinateOf(use), line, "Directive \"@" + name + "\" argument \"" + argument.name() + "\" of type \""
                        + SdlValues.type(argument.type()) + "\" is required, but it was not provided.",
                        "add " + argument.name() + ": to @" + name + " on " + use.coordinate()));
            }
        }
    }

    private static String coordinateOf(Applied use) {
        return use.coordinate().equals("schema") ? null : use.coordinate();
    }

    /**
     * Whether a literal is a value of {@code type} as Apollo checks applied directive arguments: lists may be given
     * as one item, a custom scalar takes anything, an enum value may be written as a string, integral floats count
     * as integers, and input objects are checked field by field (an input field left out is not checked, as Apollo).
     */
    private boolean applicationValue(Value<?> value, Type<?> type) {
        if (value instanceof VariableReference) return true;
        if (type instanceof NonNullType nonNull) return !(value instanceof NullValue) && applicationValue(value, nonNull.getType());
        if (value instanceof NullValue) return true;
        if (type instanceof ListType list) {
            if (value instanceof ArrayValue array) return array.getValues().stream().allMatch(v -> applicationValue(v, list.getType()));
            return applicationValue(value, list.getType());
        }
        String name = ((TypeName) type).getName();
        if (name.equals("link__Purpose")) {
            String text = value instanceof EnumValue e ? e.getName() : value instanceof StringValue s ? s.getValue() : null;
            return "SECURITY".equals(text) || "EXECUTION".equals(text);
        }
        TypeModel target = BUILT_IN_SCALARS.contains(name) ? null : model.types.get(name);
        if (!BUILT_IN_SCALARS.contains(name) && (target == null || target.kind == Kind.SCALAR)) return true;
        if (target != null && target.kind == Kind.INPUT_OBJECT) {
            if (value instanceof ArrayValue array) return array.getValues().isEmpty();
            if (!(value instanceof ObjectValue object)) return false;
            for (ObjectField entry : object.getObjectFields()) {
                FieldModel field = target.fields.get(entry.getName());
                if (field == null || !applicationValue(entry.getValue(), field.type)) return false;
            }
            return true;
        }
        if (target != null && target.kind != Kind.ENUM) return true; // an output type here is reported by the input-type rule
        return switch (value) {
            case BooleanValue ignored -> name.equals("Boolean");
            case IntValue ignored -> name.equals("Int") || name.equals("ID") || name.equals("Float");
            case FloatValue f -> name.equals("Float") || (name.equals("Int") || name.equals("ID")) && isIntegral(f);
            case StringValue s -> target != null ? target.values.containsKey(s.getValue())
                    : !name.equals("Boolean") && !name.equals("Int") && !name.equals("Float");
            case EnumValue e -> target != null ? target.values.containsKey(e.getName())
                    : !name.equals("Boolean") && !name.equals("Int") && !name.equals("Float");
            default -> false;
        };
    }

    private static boolean isIntegral(FloatValue value) {
        try {
            return value.getValue().stripTrailingZeros().scale() <= 0;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** A default value must be a value of its argument's or input field's type (GraphQL's input coercion, in short). */
    private void checkDefaultValues() {
        for (TypeModel type : model.types.values()) {
            for (FieldModel field : type.fields.values()) {
                if (type.kind == Kind.INPUT_OBJECT && field.defaultValue != null && !validValue(field.defaultValue, field.type, 0)) {
                    reportDefault("input field " + type.name + "." + field.name, field.defaultValue, field.type, field.line);
                }
                for (ArgumentModel argument : field.arguments.values()) {
                    if (argument.defaultValue() != null && !validValue(argument.defaultValue(), argument.type(), 0)) {
                        reportDefault("argument " + type.name + "." + field.name + "(" + argument.name() + ":)", argument.defaultValue(),
                                argument.type(), argument.line());
                    }
                }
            }
        }
    }

    private void reportDefault(String what, Value<?> value, Type<?> type, int line) {
        errors.add(error("INVALID_GRAPHQL", what.substring(what.indexOf(' ') + 1), line, "Invalid default value (got: " + SdlValues.value(value)
                + ") provided for " + what + " of type " + SdlValues.type(type) + ".", "give the " + what.substring(0, what.indexOf(' '))
                + " a default of type " + SdlValues.type(type) + ", or drop the default"));
    }

    private boolean validValue(Value<?> value, Type<?> type, int depth) {
        if (depth > 32 || value instanceof VariableReference) return true;
        if (type instanceof NonNullType nonNull) return !(value instanceof NullValue) && validValue(value, nonNull.getType(), depth + 1);
        if (value instanceof NullValue) return true;
        if (type instanceof ListType list) {
            if (value instanceof ArrayValue array) return array.getValues().stream().allMatch(v -> validValue(v, list.getType(), depth + 1));
            return validValue(value, list.getType(), depth + 1);
        }
        String name = ((TypeName) type).getName();
        switch (name) {
            case "String": return value instanceof StringValue;
            case "Int": return value instanceof IntValue;
            case "Float": return value instanceof IntValue || value instanceof FloatValue;
            case "Boolean": return value instanceof BooleanValue;
            case "ID": return value instanceof StringValue || value instanceof IntValue;
            default: break;
        }
        TypeModel target = model.types.get(name);
        if (target == null || target.kind == Kind.SCALAR) return true; // a custom scalar takes any literal
        if (target.kind == Kind.ENUM) return value instanceof EnumValue e && target.values.containsKey(e.getName());
        if (target.kind != Kind.INPUT_OBJECT) return true; // an output type here is reported by the input-type rule
        if (!(value instanceof ObjectValue object)) return false;
        for (ObjectField entry : object.getObjectFields()) {
            FieldModel inputField = target.fields.get(entry.getName());
            if (inputField == null || !validValue(entry.getValue(), inputField.type, depth + 1)) return false;
        }
        return true;
    }

    /** Whether {@code actual} may implement a field of type {@code expected}: non-null, list and possible-type covariance. */
    private boolean covariant(Type<?> expected, Type<?> actual) {
        if (actual instanceof NonNullType nonNull) {
            return covariant(expected instanceof NonNullType e ? e.getType() : expected, nonNull.getType());
        }
        if (expected instanceof NonNullType) return false;
        if (expected instanceof ListType e) return actual instanceof ListType a && covariant(e.getType(), a.getType());
        if (actual instanceof ListType) return false;
        String expectedName = ((TypeName) expected).getName();
        String actualName = ((TypeName) actual).getName();
        if (expectedName.equals(actualName)) return true;
        TypeModel abstractType = model.types.get(expectedName);
        TypeModel possible = model.types.get(actualName);
        if (abstractType == null || possible == null) return false;
        return abstractType.kind == Kind.UNION ? abstractType.members.contains(actualName)
                : abstractType.kind == Kind.INTERFACE && possible.interfaces.contains(expectedName);
    }

    /** Arguments and input fields take scalars, enums and input objects only. */
    private void requireInputType(String coordinate, Type<?> type, int line) {
        String named = namedType(type);
        TypeModel target = model.types.get(named);
        if (target == null || target.kind == Kind.SCALAR || target.kind == Kind.ENUM || target.kind == Kind.INPUT_OBJECT) return;
        String kind = switch (target.kind) {
            case OBJECT -> "ObjectType";
            case INTERFACE -> "InterfaceType";
            default -> "UnionType";
        };
        errors.add(error("INVALID_GRAPHQL", coordinate, line, "The type of \"" + coordinate + "\" must be Input Type but got \"" + named
                + "\", a " + kind + ".", "give " + coordinate + " a scalar, enum or input object type (define an input type for " + named + ")"));
    }

    /** Fields of objects and interfaces return scalars, enums, objects, interfaces and unions: not input objects. */
    private void requireOutputType(String coordinate, Type<?> type, int line) {
        String named = namedType(type);
        TypeModel target = model.types.get(named);
        if (target == null || target.kind != Kind.INPUT_OBJECT) return;
        errors.add(error("INVALID_GRAPHQL", coordinate, line, "The type of \"" + coordinate + "\" must be Output Type but got \"" + named
                + "\", a InputObjectType.", "give " + coordinate + " an object, interface, union, enum or scalar type (define an output type for " + named + ")"));
    }

    private void checkReferencedTypes(TypeModel type) {
        for (FieldModel field : type.fields.values()) {
            requireType(type, field.name, field.type, field.line);
            if (type.kind == Kind.INPUT_OBJECT) requireInputType(type.name + "." + field.name, field.type, field.line);
            if (type.kind == Kind.OBJECT || type.kind == Kind.INTERFACE) requireOutputType(type.name + "." + field.name, field.type, field.line);
            for (ArgumentModel argument : field.arguments.values()) {
                requireType(type, field.name + "(" + argument.name() + ":)", argument.type(), argument.line());
                requireInputType(type.name + "." + field.name + "(" + argument.name() + ":)", argument.type(), argument.line());
            }
        }
        for (String name : type.interfaces) {
            TypeModel target = model.types.get(name);
            if (target == null || target.kind != Kind.INTERFACE) {
                errors.add(error("INVALID_GRAPHQL", type.name, type.line, "Type \"" + type.name + "\" implements \"" + name
                        + "\", which is not an interface of this subgraph", "define interface " + name + " in this subgraph"));
            }
        }
        for (String name : type.members) {
            TypeModel target = model.types.get(name);
            if (target == null || target.kind != Kind.OBJECT) {
                errors.add(error("INVALID_GRAPHQL", type.name, type.line, "Union \"" + type.name + "\" has member \"" + name
                        + "\", which is not an object type of this subgraph", "define type " + name + " in this subgraph"));
            }
        }
    }

    private void requireType(TypeModel type, String field, Type<?> reference, int line) {
        String name = namedType(reference);
        if (BUILT_IN_SCALARS.contains(name) || model.types.containsKey(name) || isMachinery(name)) return;
        errors.add(error("INVALID_GRAPHQL", type.name + "." + field, line, "Unknown type \"" + name + "\"",
                "define " + name + " in this subgraph or correct the spelling"));
    }

    static String namedType(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> namedType(nonNull.getType());
            case ListType list -> namedType(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalStateException("unknown type node " + type);
        };
    }

    /**
     * Federation 1 subgraphs are read as Apollo upgrades them (its schema upgrader, in its order): key fields of a type
     * extension need no @external; @external on an interface field or an object type is dropped; the fields a
     * @requires or @provides selects that are not external are dropped from it (they were inactive in Federation 1),
     * and the directive with them when none is left; @key on interfaces, @requires and @provides on interface fields,
     * and @provides on fields of a leaf type are dropped; every field of a value type (an object type without a key)
     * is shareable.
     */
    private void upgradeFederation1() {
        for (TypeModel type : model.types.values()) {
            if (type.kind == Kind.INTERFACE) type.fields.values().forEach(f -> f.external = false);
        }
        for (TypeModel type : model.types.values()) {
            if (type.kind != Kind.OBJECT && type.kind != Kind.INTERFACE) continue;
            for (FieldModel field : type.fields.values()) {
                if (field.provides != null) {
                    TypeModel target = model.types.get(namedType(field.type));
                    if (target != null) field.provides = withoutInactiveFields(target, field.provides);
                }
                if (field.requires != null) field.requires = withoutInactiveFields(type, field.requires);
            }
        }
        for (TypeModel type : model.types.values()) {
            if (type.kind == Kind.INTERFACE) {
                type.keys.clear();
                type.fields.values().forEach(f -> {
                    f.requires = null;
                    f.provides = null;
                });
            }
            if (type.kind != Kind.OBJECT) continue;
            for (FieldModel field : type.fields.values()) {
                TypeModel target = model.types.get(namedType(field.type));
                boolean composite = target != null && (target.kind == Kind.OBJECT || target.kind == Kind.INTERFACE || target.kind == Kind.UNION);
                if (!composite) field.provides = null;
            }
            if (!type.isEntity() && !ROOT_NAMES.contains(type.name)) {
                type.fields.values().forEach(f -> f.shareable = true);
            }
        }
    }

    /**
     * A Federation 1 field set without the leaf fields that are not external (nor external in an implementation, for
     * an interface field); null when nothing is left; the text itself when it does not read against the subgraph's
     * types (reported when the field set is checked) or has nothing to drop.
     */
    private String withoutInactiveFields(TypeModel parent, String text) {
        if (text.isEmpty()) return null;
        SelectionSet set;
        try {
            set = FieldSetParser.parse(text);
        } catch (RuntimeException e) {
            return text;
        }
        if (!readsAgainst(parent, set, 0) || !selectsInactiveLeaf(parent, set)) return text;
        String kept = printActive(parent, set);
        return kept.isEmpty() ? null : kept;
    }

    /** Whether every field and type condition of the selection exists in this subgraph. */
    private boolean readsAgainst(TypeModel type, SelectionSet set, int depth) {
        if (depth > 32) return false;
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (field.getName().equals("__typename")) {
                        if (field.getSelectionSet() != null) return false;
                        continue;
                    }
                    FieldModel target = type.fields.get(field.getName());
                    if (target == null) return false;
                    if (field.getSelectionSet() != null) {
                        TypeModel child = model.types.get(namedType(target.type));
                        if (child == null || !readsAgainst(child, field.getSelectionSet(), depth + 1)) return false;
                    }
                }
                case InlineFragment fragment -> {
                    TypeModel condition = fragment.getTypeCondition() == null ? type : model.types.get(fragment.getTypeCondition().getName());
                    if (condition == null || !readsAgainst(condition, fragment.getSelectionSet(), depth + 1)) return false;
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean activeField(TypeModel type, String fieldName) {
        FieldModel field = type.fields.get(fieldName);
        if (field == null) return false;
        if (field.external) return true;
        if (type.kind != Kind.INTERFACE) return false;
        for (TypeModel implementation : model.types.values()) {
            FieldModel own = implementation.interfaces.contains(type.name) ? implementation.fields.get(fieldName) : null;
            if (own != null && own.external) return true;
        }
        return false;
    }

    private boolean selectsInactiveLeaf(TypeModel type, SelectionSet set) {
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                if (activeField(type, field.getName())) continue;
                if (field.getSelectionSet() == null) return true;
                TypeModel child = model.types.get(namedType(type.fields.get(field.getName()).type));
                if (selectsInactiveLeaf(child, field.getSelectionSet())) return true;
            } else if (selection instanceof InlineFragment fragment) {
                TypeModel condition = fragment.getTypeCondition() == null ? type : model.types.get(fragment.getTypeCondition().getName());
                if (selectsInactiveLeaf(condition, fragment.getSelectionSet())) return true;
            }
        }
        return false;
    }

    /** The selection without its inactive leaves, printed as Apollo prints a field set ("a b { c } ... on T { d }"). */
    private String printActive(TypeModel type, SelectionSet set) {
        List<String> parts = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                String head = (field.getAlias() == null ? "" : field.getAlias() + ": ") + field.getName()
                        + (field.getArguments().isEmpty() ? "" : field.getArguments().stream()
                        .map(a -> a.getName() + ": " + SdlValues.value(a.getValue())).collect(Collectors.joining(", ", "(", ")")));
                if (activeField(type, field.getName())) {
                    parts.add(field.getSelectionSet() == null ? head : head + " " + printSelections(field.getSelectionSet()));
                } else if (field.getSelectionSet() != null) {
                    String inner = printActive(model.types.get(namedType(type.fields.get(field.getName()).type)), field.getSelectionSet());
                    if (!inner.isEmpty()) parts.add(head + " { " + inner + " }");
                }
            } else if (selection instanceof InlineFragment fragment) {
                TypeModel condition = fragment.getTypeCondition() == null ? type : model.types.get(fragment.getTypeCondition().getName());
                String inner = printActive(condition, fragment.getSelectionSet());
                if (!inner.isEmpty()) {
                    parts.add("..." + (fragment.getTypeCondition() == null ? "" : " on " + fragment.getTypeCondition().getName()) + " { " + inner + " }");
                }
            }
        }
        return String.join(" ", parts);
    }

    /** A kept sub-selection, whole, in the same layout. */
    private static String printSelections(SelectionSet set) {
        List<String> parts = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                String head = (field.getAlias() == null ? "" : field.getAlias() + ": ") + field.getName()
                        + (field.getArguments().isEmpty() ? "" : field.getArguments().stream()
                        .map(a -> a.getName() + ": " + SdlValues.value(a.getValue())).collect(Collectors.joining(", ", "(", ")")));
                parts.add(field.getSelectionSet() == null ? head : head + " " + printSelections(field.getSelectionSet()));
            } else if (selection instanceof InlineFragment fragment) {
                parts.add("..." + (fragment.getTypeCondition() == null ? "" : " on " + fragment.getTypeCondition().getName())
                        + " " + printSelections(fragment.getSelectionSet()));
            }
        }
        return "{ " + String.join(" ", parts) + " }";
    }

    /**
     * A type extension (extend type, or @extends) had to mark its key fields @external in Federation 1; Apollo reads
     * those as ordinary key fields, in either federation version.
     */
    private void clearKeyExternalsOnExtensions() {
        for (TypeModel type : model.types.values()) {
            if (type.hasDefinition && !type.extendsDirective) continue;
            for (Key key : type.keys) {
                for (String field : topLevelFields(key.fields())) {
                    FieldModel model = type.fields.get(field);
                    if (model != null) model.external = false;
                }
            }
        }
    }

    private static List<String> topLevelFields(String fieldSet) {
        try {
            SelectionSet set = FieldSetParser.parse(fieldSet);
            List<String> names = new ArrayList<>();
            set.getSelections().forEach(s -> { if (s instanceof Field f) names.add(f.getName()); });
            return names;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    enum Use { KEY, REQUIRES, PROVIDES }

    /** Checks that every field a field set names exists; marks them used (and key fields shareable). */
    private void walkFieldSet(TypeModel type, String text, String directive, String coordinate, int line, Use use) {
        SelectionSet selections;
        try {
            selections = FieldSetParser.parse(text);
        } catch (RuntimeException e) {
            errors.add(error(code(use, "INVALID_FIELDS"), coordinate, line, "On " + coordinate + ", " + directive
                    + "(fields: \"" + text + "\") is not a valid field set: " + e.getMessage(), "a field set is a selection without braces, e.g. \"id\" or \"sku variation { id }\""));
            return;
        }
        walk(type, selections, text, directive, coordinate, line, use, false);
    }

    private void walk(TypeModel type, SelectionSet selections, String text, String directive,
                      String coordinate, int line, Use use, boolean underExternal) {
        String where = (use == Use.KEY ? "On type \"" : "On field \"") + coordinate + "\", for " + directive + "(fields: \"" + text + "\"): ";
        for (Selection<?> selection : selections.getSelections()) {
            List<Directive> applied = selection instanceof DirectivesContainer<?> container ? container.getDirectives() : List.of();
            if (!applied.isEmpty()) {
                errors.add(error(use.name() + "_DIRECTIVE_IN_FIELDS_ARG", coordinate, line, where + "cannot have directive applications in the "
                        + directive + "(fields:) argument but found " + applied.stream().map(SdlValues::directive).collect(Collectors.joining(", ")) + ".",
                        "remove " + applied.stream().map(d -> "@" + d.getName()).collect(Collectors.joining(", ")) + " from the field set: "
                                + directive + " selects fields unconditionally"));
            }
            if (selection instanceof InlineFragment fragment) {
                String condition = fragment.getTypeCondition() == null ? type.name : fragment.getTypeCondition().getName();
                TypeModel target = model.types.get(condition);
                if (target == null) {
                    errors.add(error(code(use, "INVALID_FIELDS"), coordinate, line, "On " + coordinate + ", for " + directive
                            + "(fields: \"" + text + "\"): Unknown type \"" + condition + "\"", "use a type of this subgraph in the fragment"));
                    continue;
                }
                walk(target, fragment.getSelectionSet(), text, directive, coordinate, line, use, underExternal);
                continue;
            }
            if (!(selection instanceof Field field)) continue;
            if (field.getName().equals("__typename")) continue;
            FieldModel target = type.fields.get(field.getName());
            if (target == null) {
                errors.add(error(code(use, "INVALID_FIELDS"), coordinate, line, "On " + coordinate + ", for " + directive
                        + "(fields: \"" + text + "\"): Cannot query field \"" + field.getName() + "\" on type \"" + type.name + "\"",
                        use == Use.KEY ? "add the field to " + type.name + " in this subgraph (with @external if another subgraph resolves it)"
                                : "declare " + type.name + "." + field.getName() + " in this subgraph with @external, or correct the field set"));
                continue;
            }
            target.usedInFieldSet = true;
            if (use == Use.KEY) {
                target.inKey = true;
                if (!field.getArguments().isEmpty() || !target.arguments.isEmpty()) {
                    errors.add(error("KEY_FIELDS_HAS_ARGS", coordinate, line, "On " + coordinate + ", for @key(fields: \"" + text
                            + "\"): field " + type.name + "." + field.getName() + " cannot be included because it has arguments",
                            "key fields take no arguments; pick another field for the key"));
                }
            }
            if (use == Use.PROVIDES) {
                target.provided = true;
                if (!target.arguments.isEmpty()) {
                    errors.add(error("PROVIDES_FIELDS_HAS_ARGS", coordinate, line, where + "field " + type.name + "." + field.getName()
                            + " cannot be included because it has arguments (fields with argument are not allowed in @provides)",
                            "drop " + field.getName() + " from the @provides field set (a field with arguments cannot be provided)"));
                }
            }
            if (use == Use.KEY && links.federation2()) {
                TypeModel keyed = model.types.get(namedType(target.type));
                if (keyed != null && (keyed.kind == Kind.INTERFACE || keyed.kind == Kind.UNION)) {
                    String kindName = keyed.kind == Kind.INTERFACE ? "Interface" : "Union";
                    errors.add(error("KEY_FIELDS_SELECT_INVALID_TYPE", coordinate, line, where + "field \"" + type.name + "." + field.getName()
                            + "\" is a " + kindName + " type which is not allowed in @key",
                            "key on fields of object, scalar or enum types; select " + field.getName() + "'s identifying fields through an object type"));
                    continue;
                }
            }
            boolean leaf = field.getSelectionSet() == null;
            // an interface field cannot be @external itself; it counts as external when its implementations' fields are
            boolean external = target.external || type.kind == Kind.INTERFACE && externalInEveryImplementation(type, field.getName());
            if (leaf && !underExternal && (use == Use.REQUIRES || use == Use.PROVIDES) && !external
                    && !(use == Use.PROVIDES && !links.federation2())) {
                TypeModel declaring = type;
                boolean fed1KeyField = !links.federation2() && target.inKey;
                if (!fed1KeyField) {
                    errors.add(error(code(use, "FIELDS_MISSING_EXTERNAL"), coordinate, line, "On " + coordinate + ", for "
                            + directive + "(fields: \"" + text + "\"): field \"" + declaring.name + "." + field.getName()
                            + "\" should not be part of a " + directive + " since it is already provided by this subgraph (it is not marked @external)",
                            "mark " + declaring.name + "." + field.getName() + " @external, or drop it from the field set"));
                }
            }
            if (field.getSelectionSet() != null) {
                TypeModel child = model.types.get(namedType(target.type));
                if (child == null || child.kind == Kind.SCALAR || child.kind == Kind.ENUM) {
                    errors.add(error(code(use, "INVALID_FIELDS"), coordinate, line, "On " + coordinate + ", for " + directive
                            + "(fields: \"" + text + "\"): field \"" + type.name + "." + field.getName() + "\" has no sub-selection", "remove the braces after " + field.getName()));
                } else {
                    walk(child, field.getSelectionSet(), text, directive, coordinate, line, use, underExternal || external);
                }
            } else if (use == Use.KEY) {
                TypeModel child = model.types.get(namedType(target.type));
                if (child != null && (child.kind == Kind.OBJECT || child.kind == Kind.INTERFACE || child.kind == Kind.UNION)) {
                    errors.add(error("KEY_INVALID_FIELDS", coordinate, line, "On " + coordinate + ", for @key(fields: \"" + text
                            + "\"): field \"" + type.name + "." + field.getName() + "\" of composite type " + child.name + " needs a selection",
                            "select the sub-fields that identify it, e.g. " + field.getName() + " { id }"));
                }
            }
        }
    }

    /** Marks the field used in every implementation of the interface; true when each of them has it @external. */
    private boolean externalInEveryImplementation(TypeModel type, String fieldName) {
        boolean any = false;
        boolean all = true;
        for (TypeModel implementation : model.types.values()) {
            if (!implementation.interfaces.contains(type.name)) continue;
            FieldModel field = implementation.fields.get(fieldName);
            if (field == null) continue;
            any = true;
            field.usedInFieldSet = true;
            all &= field.external;
        }
        return any && all;
    }

    private void checkProvides(TypeModel type, FieldModel field) {
        String coordinate = type.name + "." + field.name;
        TypeModel target = model.types.get(namedType(field.type));
        if (target == null || (target.kind != Kind.OBJECT && target.kind != Kind.INTERFACE && target.kind != Kind.UNION)) {
            errors.add(error("PROVIDES_ON_NON_OBJECT_FIELD", coordinate, field.line, "Invalid @provides directive on field \""
                    + coordinate + "\": field has type \"" + AstPrinter.printAst(field.type)
                    + "\" which is not a Composite Type", "@provides only applies to fields returning an object, interface or union"));
            return;
        }
        walkFieldSet(target, field.provides, "@provides", coordinate, field.line, Use.PROVIDES);
    }

    private void checkUnusedExternals() {
        if (!links.federation2()) return; // Federation 1: dropped across subgraphs, see finishFederation1
        for (TypeModel type : model.types.values()) {
            for (FieldModel field : type.fields.values()) {
                if (!field.external || field.usedInFieldSet || satisfiesInterface(model, type, field.name)) continue;
                errors.add(error("EXTERNAL_UNUSED", type.name + "." + field.name, field.line, "Field \"" + type.name + "."
                        + field.name + "\" is marked @external but is not used in any federation directive (@key, @provides, @requires) or to satisfy an interface",
                        "remove the field from this subgraph, or remove @external if this subgraph resolves it"));
            }
        }
    }

    /**
     * The part of Apollo's Federation 1 upgrade that looks at other subgraphs, then what follows it: a type extension
     * without a key of its own loses @external on the fields that are the first key of the type in another subgraph;
     * then unused @external fields are dropped (Federation 1 tolerated them), and a type left without fields is dropped
     * too, or is TYPE_WITH_ONLY_UNUSED_EXTERNAL when something refers to it (a root type stays, empty, like every
     * subgraph's Query).
     */
    static void finishFederation1(List<SubgraphModel> models, List<CompositionError> errors) {
        for (SubgraphModel model : models) {
            if (model.links.federation2()) continue;
            for (TypeModel type : model.types.values()) {
                boolean extension = (type.kind == Kind.OBJECT || type.kind == Kind.INTERFACE) && !ROOT_NAMES.contains(type.name)
                        && (type.extendsDirective || type.hasExtensionDefinition && !type.hasDefinition);
                if (!extension || !type.keys.isEmpty()) continue;
                for (SubgraphModel other : models) {
                    TypeModel there = other == model ? null : other.types.get(type.name);
                    if (there == null || there.keys.isEmpty()) continue;
                    for (String name : topLevelFields(there.keys.get(0).fields())) {
                        FieldModel own = type.fields.get(name);
                        if (own != null) own.external = false;
                    }
                }
            }
            List<String> emptied = new ArrayList<>();
            for (TypeModel type : model.types.values()) {
                boolean hadFields = !type.fields.isEmpty();
                type.fields.values().removeIf(field -> field.external && !field.usedInFieldSet && !satisfiesInterface(model, type, field.name));
                if (!hadFields || !type.fields.isEmpty()) continue;
                if (referenced(model, type.name)) {
                    errors.add(new CompositionError("TYPE_WITH_ONLY_UNUSED_EXTERNAL", "[" + model.name + "] Type " + type.name + " contains only external fields"
                            + " and all those fields are all unused (they do not appear in any @key, @provides or @requires).", List.of(model.name),
                            type.name, type.line, "remove type " + type.name + " from this subgraph, or resolve one of its fields here (without @external)"));
                } else if (!ROOT_NAMES.contains(type.name)) {
                    emptied.add(type.name);
                }
            }
            emptied.forEach(model.types::remove);
        }
    }

    /** Whether a field, argument, union or implementation of the subgraph names the type. */
    private static boolean referenced(SubgraphModel model, String name) {
        for (TypeModel type : model.types.values()) {
            if (type.members.contains(name) || type.interfaces.contains(name)) return true;
            for (FieldModel field : type.fields.values()) {
                if (namedType(field.type).equals(name)) return true;
                for (ArgumentModel argument : field.arguments.values()) {
                    if (namedType(argument.type()).equals(name)) return true;
                }
            }
        }
        return false;
    }

    /** The fields a @fromContext selection reads from the types setting its context count as used (an @external one too), as Apollo counts them. */
    private void markContextSelectionsUsed() {
        Map<String, List<TypeModel>> contextTypes = new HashMap<>();
        for (TypeModel type : model.types.values()) {
            for (String context : type.contexts) contextTypes.computeIfAbsent(context, c -> new ArrayList<>()).add(type);
        }
        if (contextTypes.isEmpty()) return;
        Set<String> done = new HashSet<>();
        for (TypeModel type : model.types.values()) {
            for (FieldModel field : type.fields.values()) {
                for (ArgumentModel argument : field.arguments.values()) {
                    if (argument.fromContext() == null || !done.add(argument.fromContext())) continue;
                    ContextReference reference = parseContextReference(argument.fromContext());
                    if (reference == null || !contextTypes.containsKey(reference.context())) continue;
                    SelectionSet selection;
                    try {
                        String trimmed = reference.selection().strip();
                        selection = trimmed.startsWith("{") ? ((OperationDefinition) Parser.parse(trimmed).getDefinitions().get(0)).getSelectionSet()
                                : FieldSetParser.parse(trimmed);
                    } catch (RuntimeException e) {
                        continue; // CONTEXT_INVALID_SELECTION, reported with the argument
                    }
                    for (TypeModel location : contextTypes.get(reference.context())) markUsed(location, selection, 0);
                }
            }
        }
    }

    private void markUsed(TypeModel type, SelectionSet set, int depth) {
        if (type == null || depth > 32) return;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof InlineFragment fragment) {
                markUsed(fragment.getTypeCondition() == null ? type : model.types.get(fragment.getTypeCondition().getName()),
                        fragment.getSelectionSet(), depth + 1);
            } else if (selection instanceof Field selected) {
                FieldModel field = type.fields.get(selected.getName());
                if (field == null) continue;
                field.usedInFieldSet = true;
                if (type.kind == Kind.INTERFACE) externalInEveryImplementation(type, selected.getName());
                if (selected.getSelectionSet() != null) markUsed(model.types.get(namedType(field.type)), selected.getSelectionSet(), depth + 1);
            }
        }
    }

    /** A field with a contextual argument is fetched as an entity, so its type needs a resolvable key. */
    private void checkContextualArguments() {
        Map<String, List<TypeModel>> contextTypes = new HashMap<>();
        for (TypeModel type : model.types.values()) {
            for (String context : type.contexts) contextTypes.computeIfAbsent(context, c -> new ArrayList<>()).add(type);
        }
        // the same selection of the same context for the same type is checked once: many types may set one context
        // and many arguments read it, which would otherwise cost (types x arguments) walks
        Map<String, String> checkedSelections = new HashMap<>();
        for (TypeModel type : model.types.values()) {
            for (FieldModel field : type.fields.values()) {
                for (ArgumentModel argument : field.arguments.values()) {
                    if (argument.fromContext() != null) checkFromContext(type, field, argument, contextTypes, checkedSelections);
                }
            }
        }
        for (TypeModel type : model.types.values()) {
            boolean contextual = type.fields.values().stream().anyMatch(f -> f.arguments.values().stream().anyMatch(a -> a.fromContext() != null));
            if (contextual && type.keys.stream().noneMatch(Key::resolvable)) {
                errors.add(error("CONTEXT_NO_RESOLVABLE_KEY", type.name, type.line, "Object \"" + type.name
                        + "\" has no resolvable key but has a field with a contextual argument.",
                        "add a resolvable @key to " + type.name + ": the router fetches contextual fields as entities"));
            }
        }
    }

    /** Apollo's rule for @context names: a letter, then letters, digits (no underscore: it separates the subgraph prefix). */
    private void checkContextName(String typeName, String name, int line) {
        boolean valid = !name.isEmpty() && isAsciiLetter(name.charAt(0));
        for (int i = 1; valid && i < name.length(); i++) valid = isAsciiLetter(name.charAt(i)) || Character.isDigit(name.charAt(i)) || name.charAt(i) == '_';
        if (name.indexOf('_') >= 0) {
            errors.add(error("CONTEXT_NAME_INVALID", typeName, line, "Context name \"" + name + "\" may not contain an underscore.",
                    "rename the context without \"_\", e.g. \"" + name.replace("_", "") + "\" (and its @fromContext uses)"));
        } else if (!valid) {
            errors.add(error("CONTEXT_NAME_INVALID", typeName, line, "Context name \"" + name + "\" is invalid. It should have only alphanumeric characters.",
                    "name the context with letters and digits, starting with a letter"));
        }
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** A context reference "$name selection", read in one pass (leading blanks, commas and # comments skipped). */
    record ContextReference(String context, String selection) {}

    static ContextReference parseContextReference(String value) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
                i++;
            } else if (c == '#') {
                while (i < n && value.charAt(i) != '\n' && value.charAt(i) != '\r') i++;
            } else {
                break;
            }
        }
        if (i >= n || value.charAt(i) != '$') return null;
        i++;
        int start = i;
        if (i >= n || !(isAsciiLetter(value.charAt(i)) || value.charAt(i) == '_')) return null;
        while (i < n && (isAsciiLetter(value.charAt(i)) || Character.isDigit(value.charAt(i)) || value.charAt(i) == '_')) i++;
        String selection = value.substring(i);
        return selection.isBlank() ? null : new ContextReference(value.substring(start, i), selection);
    }

    private void checkFromContext(TypeModel type, FieldModel field, ArgumentModel argument, Map<String, List<TypeModel>> contextTypes,
                                  Map<String, String> checkedSelections) {
        String coordinate = type.name + "." + field.name + "(" + argument.name() + ":)";
        int line = argument.line();
        if (type.kind != Kind.OBJECT) {
            errors.add(error("CONTEXT_NOT_SET", coordinate, line, "@fromContext argument cannot be used on a field that exists on an abstract type \""
                    + coordinate + "\".", "move the contextual argument to the object types' fields"));
            return;
        }
        for (String name : type.interfaces) {
            TypeModel declared = model.types.get(name);
            if (declared != null && declared.fields.containsKey(field.name)) {
                errors.add(error("CONTEXT_NOT_SET", coordinate, line, "@fromContext argument cannot be used on a field implementing an interface field \""
                        + name + "." + field.name + "\".", "use @fromContext on a field that implements no interface field"));
            }
        }
        if (argument.defaultValue() != null) {
            errors.add(error("CONTEXT_NOT_SET", coordinate, line, "@fromContext arguments may not have a default value: \"" + coordinate + "\".",
                    "remove the default value of " + coordinate));
        }
        ContextReference reference = parseContextReference(argument.fromContext());
        if (reference == null) {
            errors.add(error("NO_CONTEXT_IN_SELECTION", coordinate, line, "@fromContext argument does not reference a context \""
                    + argument.fromContext() + "\".", "start the field value with the context, e.g. \"$myContext { field }\""));
            return;
        }
        List<TypeModel> locations = contextTypes.get(reference.context());
        if (locations == null) {
            errors.add(error("CONTEXT_NOT_SET", coordinate, line, "Context \"" + reference.context() + "\" is used at location \"" + coordinate
                    + "\" but is never set.", "set it with @context(name: \"" + reference.context() + "\") on a type of this subgraph, or correct the name"));
            return;
        }
        String memo = reference.context() + "|" + SdlValues.type(argument.type()) + "|" + reference.selection();
        String known = checkedSelections.get(memo);
        if (known != null) {
            if (!known.isEmpty()) {
                errors.add(error("CONTEXT_INVALID_SELECTION", coordinate, line, "Context \"" + reference.context() + "\" is used in \""
                        + coordinate + "\" but the selection is invalid" + known, "select one field of the context's types whose type fits "
                        + SdlValues.type(argument.type()) + ", e.g. \"$" + reference.context() + " { id }\""));
            }
            return;
        }
        checkedSelections.put(memo, "");
        // parsed once, then walked from each type setting the context
        SelectionSet selection;
        try {
            String trimmed = reference.selection().strip();
            selection = trimmed.startsWith("{") ? ((OperationDefinition) Parser.parse(trimmed).getDefinitions().get(0)).getSelectionSet()
                    : FieldSetParser.parse(trimmed);
        } catch (RuntimeException e) {
            errors.add(error("CONTEXT_INVALID_SELECTION", coordinate, line, "Context \"" + reference.context() + "\" is used in \""
                    + coordinate + "\" but the selection is invalid for type " + locations.get(0).name + ". Error: " + e.getMessage(),
                    "write the selection as a field of the context type, e.g. \"$" + reference.context() + " { id }\""));
            return;
        }
        for (TypeModel location : locations) {
            String problem = contextSelectionProblem(location, selection, argument.type());
            if (problem != null) {
                checkedSelections.put(memo, problem);
                errors.add(error("CONTEXT_INVALID_SELECTION", coordinate, line, "Context \"" + reference.context() + "\" is used in \""
                        + coordinate + "\" but the selection is invalid" + problem, "select one field of " + location.name
                        + " whose type fits " + SdlValues.type(argument.type()) + ", e.g. \"$" + reference.context() + " { id }\""));
                return;
            }
        }
    }

    /** Why a context selection does not give one value of the argument's type from {@code location}; null when it does. */
    private String contextSelectionProblem(TypeModel location, SelectionSet set, Type<?> expected) {
        TypeModel current = location;
        while (true) {
            List<Selection> selections = set.getSelections();
            if (selections.isEmpty()) return ": no selection is made";
            if (selections.get(0) instanceof InlineFragment) {
                SelectionSet matching = null;
                for (Selection<?> selection : selections) {
                    if (!(selection instanceof InlineFragment fragment) || fragment.getTypeCondition() == null) {
                        return ": selection should only contain a single field or at least one inline fragment";
                    }
                    String condition = fragment.getTypeCondition().getName();
                    if (condition.equals(current.name) || current.interfaces.contains(condition)) matching = fragment.getSelectionSet();
                }
                if (matching == null) return ": no type condition matches the location \"" + location.name + "\"";
                set = matching;
                continue;
            }
            if (selections.size() != 1 || !(selections.get(0) instanceof Field selected)) return ": multiple selections are made";
            if (selected.getAlias() != null) return ": aliases are not allowed in the selection";
            if (!selected.getDirectives().isEmpty()) return ": directives are not allowed in the selection";
            FieldModel field = current.fields.get(selected.getName());
            if (field == null) {
                return " for type " + location.name + ". Error: Cannot query field \"" + selected.getName() + "\" on type \"" + current.name + "\".";
            }
            if (selected.getSelectionSet() == null) {
                return fitsContextArgument(field.type, expected) ? null
                        : ": the type of the selection \"" + SdlValues.type(field.type) + "\" does not match the expected type \"" + SdlValues.type(expected) + "\"";
            }
            TypeModel next = model.types.get(namedType(field.type));
            if (next == null) return " for type " + location.name + ". Error: Field \"" + selected.getName() + "\" must not have a selection.";
            current = next;
            set = selected.getSelectionSet();
        }
    }

    /** A selected value fits an argument when its type is the same or stricter (non-null, a subtype). */
    private boolean fitsContextArgument(Type<?> selected, Type<?> expected) {
        if (expected instanceof NonNullType e) return selected instanceof NonNullType s && fitsContextArgument(s.getType(), e.getType());
        if (selected instanceof NonNullType s) return fitsContextArgument(s.getType(), expected);
        if (expected instanceof ListType e) return selected instanceof ListType s && fitsContextArgument(s.getType(), e.getType());
        if (selected instanceof ListType) return false;
        String selectedName = namedType(selected);
        String expectedName = namedType(expected);
        if (selectedName.equals(expectedName)) return true;
        TypeModel type = model.types.get(selectedName);
        TypeModel target = model.types.get(expectedName);
        return type != null && (type.interfaces.contains(expectedName) || target != null && target.members.contains(selectedName));
    }

    /** An interface's @key must be on each implementation of this subgraph (resolvable there when it is on the interface). */
    private void checkInterfaceKeys() {
        for (TypeModel itf : model.types.values()) {
            if (itf.kind != Kind.INTERFACE || itf.keys.isEmpty()) continue;
            List<TypeModel> implementations = model.types.values().stream()
                    .filter(t -> t.kind == Kind.OBJECT && t.interfaces.contains(itf.name)).toList();
            for (Key key : itf.keys) {
                String canonical = canonicalFieldSet(key.fields());
                List<String> missing = new ArrayList<>();
                List<String> notResolvable = new ArrayList<>();
                for (TypeModel implementation : implementations) {
                    Key matching = implementation.keys.stream().filter(k -> canonicalFieldSet(k.fields()).equals(canonical)).findFirst().orElse(null);
                    if (matching == null) missing.add(implementation.name);
                    else if (key.resolvable() && !matching.resolvable()) notResolvable.add(implementation.name);
                }
                String keyText = "@key(fields: " + SdlValues.quote(key.fields()) + (key.explicit() ? ", resolvable: " + key.resolvable() : "") + ")";
                if (!missing.isEmpty()) {
                    errors.add(error("INTERFACE_KEY_NOT_ON_IMPLEMENTATION", itf.name, key.line(), "Key " + keyText + " on interface type \""
                            + itf.name + "\" is missing on implementation " + (missing.size() == 1 ? "type " : "types ")
                            + SupergraphMerger.quoteList(missing) + ".", "add " + keyText + " to " + String.join(", ", missing)
                            + " in this subgraph, or remove the key from interface " + itf.name));
                } else if (!notResolvable.isEmpty()) {
                    errors.add(error("INTERFACE_KEY_NOT_ON_IMPLEMENTATION", itf.name, key.line(), "Key " + keyText + " on interface type \""
                            + itf.name + "\" should be resolvable on all implementation types, but is declared with argument \"@key(resolvable:)\" set to false in "
                            + (notResolvable.size() == 1 ? "type " : "types ") + SupergraphMerger.quoteList(notResolvable) + ".",
                            "make the key resolvable on " + String.join(", ", notResolvable) + ", or declare it resolvable: false on " + itf.name));
                }
            }
        }
    }

    /** A field set with its selections sorted, so "a b" and "b a" compare equal. */
    static String canonicalFieldSet(String text) {
        try {
            return canonical(FieldSetParser.parse(text));
        } catch (RuntimeException e) {
            return text;
        }
    }

    private static String canonical(SelectionSet set) {
        List<String> parts = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> parts.add(field.getName() + (field.getSelectionSet() == null ? "" : canonical(field.getSelectionSet())));
                case InlineFragment fragment -> parts.add("... on " + (fragment.getTypeCondition() == null ? ""
                        : fragment.getTypeCondition().getName()) + canonical(fragment.getSelectionSet()));
                default -> parts.add(AstPrinter.printAstCompact(selection));
            }
        }
        parts.sort(null);
        return "{" + String.join(" ", parts) + "}";
    }

    /** @listSize: on a list (or with sized fields), a non-negative assumed size, Int slicing arguments, list sized fields. */
    private void checkListSizes() {
        for (TypeModel type : model.types.values()) {
            if (type.kind != Kind.OBJECT && type.kind != Kind.INTERFACE) continue;
            for (FieldModel field : type.fields.values()) {
                for (Directive directive : field.passThrough) {
                    if (directive.getName().equals("listSize")) checkListSize(type, field, directive);
                }
            }
        }
    }

    private void checkListSize(TypeModel type, FieldModel field, Directive listSize) {
        String coordinate = type.name + "." + field.name;
        int line = line(listSize.getSourceLocation()) > 0 ? line(listSize.getSourceLocation()) : field.line;
        List<String> sizedFields = stringList(listSize, "sizedFields");
        if (sizedFields.isEmpty() && !isList(field.type)) {
            errors.add(error("LIST_SIZE_APPLIED_TO_NON_LIST", coordinate, line, "\"" + coordinate + "\" is not a list",
                    "remove @listSize from " + coordinate + ", or name the list fields of its type in sizedFields"));
        }
        Argument assumed = listSize.getArgument("assumedSize");
        if (assumed != null && assumed.getValue() instanceof IntValue size && size.getValue().signum() < 0) {
            errors.add(error("LIST_SIZE_INVALID_ASSUMED_SIZE", coordinate, line, "Assumed size of \"" + coordinate + "\" cannot be negative",
                    "give assumedSize a value of 0 or more"));
        }
        for (String name : stringList(listSize, "slicingArguments")) {
            ArgumentModel argument = field.arguments.get(name);
            if (argument == null) {
                errors.add(error("LIST_SIZE_INVALID_SLICING_ARGUMENT", coordinate, line, "Slicing argument \"" + name + "\" is not an argument of \""
                        + coordinate + "\"", "name an argument of " + coordinate + " in slicingArguments, or add it"));
            } else if (!SdlValues.type(argument.type()).equals("Int") && !SdlValues.type(argument.type()).equals("Int!")) {
                errors.add(error("LIST_SIZE_INVALID_SLICING_ARGUMENT", coordinate, line, "Slicing argument \"" + coordinate + "(" + name
                        + ":)\" must be Int or Int!", "give " + name + " the type Int, or drop it from slicingArguments"));
            }
        }
        if (sizedFields.isEmpty()) return;
        TypeModel returned = model.types.get(namedType(field.type));
        if (returned == null || (returned.kind != Kind.OBJECT && returned.kind != Kind.INTERFACE && returned.kind != Kind.UNION)) {
            errors.add(error("LIST_SIZE_INVALID_SIZED_FIELD", coordinate, line, "Sized fields cannot be used because \"" + SdlValues.type(field.type)
                    + "\" is not a composite type", "remove sizedFields from the @listSize of " + coordinate));
            return;
        }
        for (String name : sizedFields) {
            FieldModel sized = returned.fields.get(name);
            if (sized == null) {
                errors.add(error("LIST_SIZE_INVALID_SIZED_FIELD", coordinate, line, "Sized field \"" + name + "\" is not a field on type \""
                        + returned.name + "\"", "name a list field of " + returned.name + " in sizedFields"));
            } else if (!isList(sized.type)) {
                errors.add(error("LIST_SIZE_APPLIED_TO_NON_LIST", coordinate, line, "Sized field \"" + returned.name + "." + name + "\" is not a list",
                        "name a list field of " + returned.name + " in sizedFields"));
            }
        }
    }

    private static boolean isList(Type<?> type) {
        return type instanceof ListType || type instanceof NonNullType nonNull && nonNull.getType() instanceof ListType;
    }

    private static List<String> stringList(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        if (argument == null) return List.of();
        List<String> values = new ArrayList<>();
        if (argument.getValue() instanceof ArrayValue array) {
            array.getValues().forEach(v -> { if (v instanceof StringValue s) values.add(s.getValue()); });
        } else if (argument.getValue() instanceof StringValue s) {
            values.add(s.getValue());
        }
        return values;
    }

    private static boolean satisfiesInterface(SubgraphModel model, TypeModel type, String field) {
        for (String name : type.interfaces) {
            TypeModel declared = model.types.get(name);
            if (declared != null && declared.fields.containsKey(field)) return true;
        }
        return false;
    }

    private static String code(Use use, String suffix) {
        return use.name() + "_" + suffix;
    }

    private CompositionError error(String code, String coordinate, int line, String message, String hint) {
        return new CompositionError(code, "[" + source.name() + "] " + message, List.of(source.name()), coordinate, line, hint);
    }

    static String description(DescribedNode<?> node) {
        Description description = node.getDescription();
        return description == null ? null : description.getContent();
    }

    /**
     * The fields of a @key, @requires or @provides: a string; in a Federation 1 subgraph also an enum-like bare word or
     * a list of strings (joined), which Apollo's upgrade reads as the string they stand for. Null otherwise.
     */
    private String fieldSetArgument(Directive directive) {
        Argument argument = directive.getArgument("fields");
        if (argument == null) return null;
        Value<?> value = argument.getValue();
        if (value instanceof StringValue s) return s.getValue();
        if (links.federation2()) return null;
        if (value instanceof EnumValue e) return e.getName();
        if (value instanceof ArrayValue array && array.getValues().stream().allMatch(v -> v instanceof StringValue || v instanceof EnumValue)) {
            return array.getValues().stream().map(v -> v instanceof StringValue s ? s.getValue() : ((EnumValue) v).getName())
                    .collect(Collectors.joining(" "));
        }
        return null;
    }

    private static String stringArgument(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        return argument != null && argument.getValue() instanceof StringValue s ? s.getValue() : null;
    }

    private static int line(SourceLocation location) {
        return location == null ? 0 : location.getLine();
    }
}
