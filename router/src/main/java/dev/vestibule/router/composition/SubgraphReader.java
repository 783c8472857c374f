package dev.vestibule.router.composition;

import dev.vestibule.router.composition.SubgraphModel.ArgumentModel;
import dev.vestibule.router.composition.SubgraphModel.EnumValueModel;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private final SubgraphSource source;
    private final List<CompositionError> errors;
    private FederationLinks links;
    private SubgraphModel model;
    private final Map<String, String> rootRenames = new HashMap<>();
    private final Set<String> composedNames = new java.util.LinkedHashSet<>();

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
        links = FederationLinks.read(document, source.name());
        errors.addAll(links.errors());
        model = new SubgraphModel(source.name(), source.url(), links);
        checkKnownDirectives(document);
        readSchemaDefinitions(document);
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type && !isMachinery(type.getName())) readType(type);
            if (definition instanceof DirectiveDefinition directive) readDirectiveDefinition(directive);
        }
        // every subgraph has a query root (federation adds _service and _entities to it), even one with no own field
        model.types.computeIfAbsent("Query", name -> new TypeModel(name, Kind.OBJECT, 0)).hasDefinition = true;
        for (TypeModel type : model.types.values()) {
            type.extension = !ROOT_NAMES.contains(type.name) && (type.kind == Kind.OBJECT || type.kind == Kind.INTERFACE)
                    && (type.extendsDirective || links.federation2() && !type.hasDefinition);
            checkReferencedTypes(type);
        }
        clearKeyExternalsOnExtensions();
        if (!links.federation2()) upgradeFederation1();
        for (TypeModel type : model.types.values()) {
            for (Key key : type.keys) walkFieldSet(type, key.fields(), "@key", type.name, key.line(), Use.KEY);
            for (FieldModel field : type.fields.values()) {
                if (field.requires != null) walkFieldSet(type, field.requires, "@requires", type.name + "." + field.name, field.line, Use.REQUIRES);
                if (field.provides != null) checkProvides(type, field);
                if (field.overrideFrom != null && field.overrideFrom.equals(source.name())) {
                    errors.add(error("OVERRIDE_FROM_SELF_ERROR", type.name + "." + field.name, field.line,
                            "Source and destination subgraphs \"" + source.name() + "\" are the same for overridden field \""
                                    + type.name + "." + field.name + "\"",
                            "@override(from:) names the subgraph the field moves away from; remove the directive or name the other subgraph"));
                }
            }
        }
        checkUnusedExternals();
        checkContextualArguments();
        return model;
    }

    private static final Set<String> BUILT_IN_DIRECTIVES = Set.of("deprecated", "specifiedBy", "include", "skip", "oneOf", "link");

    /** Every applied directive must be a federation directive, a built-in, or defined in the subgraph. */
    private void checkKnownDirectives(Document document) {
        Set<String> defined = new java.util.HashSet<>(BUILT_IN_DIRECTIVES);
        defined.addAll(links.specNameByLocalName().keySet());
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof DirectiveDefinition directive) defined.add(directive.getName());
        }
        List<Directive> applied = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof graphql.language.DirectivesContainer<?> container) applied.addAll(container.getDirectives());
            switch (definition) {
                case ObjectTypeDefinition object -> object.getFieldDefinitions().forEach(f -> collect(f, applied));
                case InterfaceTypeDefinition object -> object.getFieldDefinitions().forEach(f -> collect(f, applied));
                case EnumTypeDefinition enumType -> enumType.getEnumValueDefinitions().forEach(v -> applied.addAll(v.getDirectives()));
                case InputObjectTypeDefinition input -> input.getInputValueDefinitions().forEach(v -> applied.addAll(v.getDirectives()));
                default -> { }
            }
        }
        Set<String> reported = new java.util.HashSet<>();
        for (Directive directive : applied) {
            if (defined.contains(directive.getName()) || !reported.add(directive.getName())) continue;
            boolean federation = FederationLinks.DIRECTIVES.containsKey(directive.getName());
            errors.add(error("INVALID_GRAPHQL", null, line(directive.getSourceLocation()), "Unknown directive \"@" + directive.getName() + "\".",
                    federation && links.federation2()
                            ? "add \"@" + directive.getName() + "\" to the import list of the federation @link, or write @federation__" + directive.getName()
                            : "define the directive in this subgraph (directive @" + directive.getName() + " on ...) or remove it"));
        }
    }

    private static void collect(FieldDefinition field, List<Directive> applied) {
        applied.addAll(field.getDirectives());
        field.getInputValueDefinitions().forEach(a -> applied.addAll(a.getDirectives()));
    }

    private boolean isMachinery(String name) {
        return MACHINERY_TYPES.contains(name) || name.startsWith("federation__") || name.startsWith("link__")
                || name.startsWith("join__");
    }

    private void readSchemaDefinitions(Document document) {
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schema)) continue;
            for (OperationTypeDefinition operation : schema.getOperationTypeDefinitions()) {
                String canonical = switch (operation.getName()) {
                    case "query" -> "Query";
                    case "mutation" -> "Mutation";
                    default -> "Subscription";
                };
                rootRenames.put(operation.getTypeName().getName(), canonical);
            }
            for (Directive directive : schema.getDirectives()) {
                if (links.isFederationDirective(directive.getName(), "composeDirective")) {
                    String name = stringArgument(directive, "name");
                    if (name != null) composedNames.add(name.startsWith("@") ? name.substring(1) : name);
                }
            }
        }
    }

    private String rename(String typeName) {
        return rootRenames.getOrDefault(typeName, typeName);
    }

    private void readDirectiveDefinition(DirectiveDefinition definition) {
        if (links.specName(definition.getName()).isPresent() || definition.getName().equals("link")) return;
        if (composedNames.contains(definition.getName())) {
            model.composedDirectives.put(definition.getName(), definition);
            return;
        }
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
        boolean isExtension = definition instanceof graphql.language.ObjectTypeExtensionDefinition
                || definition instanceof graphql.language.InterfaceTypeExtensionDefinition
                || definition instanceof graphql.language.UnionTypeExtensionDefinition
                || definition instanceof graphql.language.EnumTypeExtensionDefinition
                || definition instanceof graphql.language.InputObjectTypeExtensionDefinition
                || definition instanceof graphql.language.ScalarTypeExtensionDefinition;
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
        String description = description((graphql.language.DescribedNode<?>) definition);
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
                    String fields = stringArgument(directive, "fields");
                    Argument resolvable = directive.getArgument("resolvable");
                    boolean isResolvable = resolvable == null || !(resolvable.getValue() instanceof BooleanValue b) || b.isValue();
                    if (fields == null) {
                        errors.add(error("KEY_INVALID_FIELDS", name, line(directive.getSourceLocation()),
                                "@key on \"" + name + "\" has no fields argument", "write @key(fields: \"id\")"));
                    } else {
                        type.keys.add(new Key(fields, isResolvable, resolvable != null, line(directive.getSourceLocation())));
                    }
                }
                case "extends" -> type.extendsDirective = true;
                case "shareable" -> type.shareable = true;
                case "interfaceObject" -> type.interfaceObject = true;
                case "inaccessible" -> type.inaccessible = true;
                case "external" -> externalType = true;
                case "context" -> {
                    String contextName = stringArgument(directive, "name");
                    if (contextName != null) type.contexts.add(contextName);
                }
                default -> {
                    if (PASS_THROUGH.contains(spec)) type.passThrough.add(directive.transform(b -> b.name(spec)));
                }
            }
        }
        switch (definition) {
            case ObjectTypeDefinition object -> {
                object.getImplements().forEach(t -> type.interfaces.add(((TypeName) t).getName()));
                for (FieldDefinition field : object.getFieldDefinitions()) readField(type, field, externalType);
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
        for (Directive directive : directives) {
            String spec = links.specName(directive.getName()).orElse(null);
            if (spec == null) {
                passThrough(directive, field.passThrough);
                continue;
            }
            switch (spec) {
                case "external" -> field.external = true;
                case "shareable" -> field.shareable = true;
                case "inaccessible" -> field.inaccessible = true;
                case "requires" -> field.requires = stringArgument(directive, "fields");
                case "provides" -> field.provides = stringArgument(directive, "fields");
                case "override" -> {
                    field.overrideFrom = stringArgument(directive, "from");
                    field.overrideLabel = stringArgument(directive, "label");
                }
                default -> {
                    if (PASS_THROUGH.contains(spec)) field.passThrough.add(directive.transform(b -> b.name(spec)));
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

    private void checkReferencedTypes(TypeModel type) {
        for (FieldModel field : type.fields.values()) {
            requireType(type, field.name, field.type, field.line);
            for (ArgumentModel argument : field.arguments.values()) requireType(type, field.name + "(" + argument.name() + ":)", argument.type(), argument.line());
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
     * Federation 1 subgraphs are read as Apollo upgrades them: key fields of a type extension need no @external, and
     * every field of a value type (an object type without a key) is shareable.
     */
    private void upgradeFederation1() {
        for (TypeModel type : model.types.values()) {
            if (type.kind != Kind.OBJECT) continue;
            if (!type.isEntity() && !ROOT_NAMES.contains(type.name)) {
                type.fields.values().forEach(f -> f.shareable = true);
            }
        }
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
            graphql.language.SelectionSet set = FieldSetParser.parse(fieldSet);
            List<String> names = new ArrayList<>();
            set.getSelections().forEach(s -> { if (s instanceof graphql.language.Field f) names.add(f.getName()); });
            return names;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    enum Use { KEY, REQUIRES, PROVIDES }

    /** Checks that every field a field set names exists; marks them used (and key fields shareable). */
    private void walkFieldSet(TypeModel type, String text, String directive, String coordinate, int line, Use use) {
        graphql.language.SelectionSet selections;
        try {
            selections = FieldSetParser.parse(text);
        } catch (RuntimeException e) {
            errors.add(error(code(use, "INVALID_FIELDS"), coordinate, line, "On " + coordinate + ", " + directive
                    + "(fields: \"" + text + "\") is not a valid field set: " + e.getMessage(), "a field set is a selection without braces, e.g. \"id\" or \"sku variation { id }\""));
            return;
        }
        walk(type, selections, text, directive, coordinate, line, use, false);
    }

    private void walk(TypeModel type, graphql.language.SelectionSet selections, String text, String directive,
                      String coordinate, int line, Use use, boolean underExternal) {
        for (graphql.language.Selection<?> selection : selections.getSelections()) {
            if (selection instanceof graphql.language.InlineFragment fragment) {
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
            if (!(selection instanceof graphql.language.Field field)) continue;
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
            if (use == Use.PROVIDES) target.provided = true;
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
                    + coordinate + "\": field has type \"" + graphql.language.AstPrinter.printAst(field.type)
                    + "\" which is not a Composite Type", "@provides only applies to fields returning an object, interface or union"));
            return;
        }
        walkFieldSet(target, field.provides, "@provides", coordinate, field.line, Use.PROVIDES);
    }

    private void checkUnusedExternals() {
        for (TypeModel type : model.types.values()) {
            for (FieldModel field : List.copyOf(type.fields.values())) {
                if (!field.external || field.usedInFieldSet || satisfiesInterface(type, field.name)) continue;
                if (!links.federation2()) {
                    type.fields.remove(field.name); // Federation 1 tolerated unused @external; Apollo's upgrade drops it
                    continue;
                }
                errors.add(error("EXTERNAL_UNUSED", type.name + "." + field.name, field.line, "Field \"" + type.name + "."
                        + field.name + "\" is marked @external but is not used in any federation directive (@key, @provides, @requires) or to satisfy an interface",
                        "remove the field from this subgraph, or remove @external if this subgraph resolves it"));
            }
        }
    }

    /** A field with a contextual argument is fetched as an entity, so its type needs a resolvable key. */
    private void checkContextualArguments() {
        for (TypeModel type : model.types.values()) {
            boolean contextual = type.fields.values().stream().anyMatch(f -> f.arguments.values().stream().anyMatch(a -> a.fromContext() != null));
            if (contextual && type.keys.stream().noneMatch(Key::resolvable)) {
                errors.add(error("CONTEXT_NO_RESOLVABLE_KEY", type.name, type.line, "Object \"" + type.name
                        + "\" has no resolvable key but has a field with a contextual argument.",
                        "add a resolvable @key to " + type.name + ": the router fetches contextual fields as entities"));
            }
        }
    }

    private boolean satisfiesInterface(TypeModel type, String field) {
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

    static String description(graphql.language.DescribedNode<?> node) {
        Description description = node.getDescription();
        return description == null ? null : description.getContent();
    }

    private static String stringArgument(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        return argument != null && argument.getValue() instanceof StringValue s ? s.getValue() : null;
    }

    private static int line(SourceLocation location) {
        return location == null ? 0 : location.getLine();
    }
}
