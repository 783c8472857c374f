package dev.vestibule.router.supergraph;

import dev.vestibule.router.supergraph.SubgraphSchema.FieldInSubgraph;
import dev.vestibule.router.supergraph.SubgraphSchema.Key;
import dev.vestibule.router.supergraph.SubgraphSchema.TypeInSubgraph;
import graphql.AssertException;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.Field;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.IntValue;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
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
import graphql.schema.GraphQLSchema;
import graphql.schema.validation.InvalidSchemaException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a join-spec supergraph (link v1.0, join v0.2 to v0.5; and Federation 1 supergraphs: core v0.1/v0.2, join
 * v0.1) into a {@link Supergraph}: which subgraph serves which type and field, with keys, requires, provides and
 * external, following the field-availability rules of the join spec, plus the API schema. A supergraph it cannot
 * serve fails here, with the reason and the line.
 *
 * <p>Join v0.1 (Federation 1) differs in what it leaves implicit: an entity has one {@code @join__owner}, whose
 * subgraph resolves every field without {@code @join__field}; the other subgraphs that extend it list only their own
 * fields (their key fields, @external in the subgraph, are not written), and {@code @join__implements} does not exist
 * (a type implements its interfaces wherever it is defined).
 */
public final class SupergraphLoader {
    private static final String LINK_SPEC = "https://specs.apollo.dev/link/";
    private static final String JOIN_SPEC = "https://specs.apollo.dev/join/";
    private static final String CORE_SPEC = "https://specs.apollo.dev/core/";
    private static final String INACCESSIBLE_SPEC = "https://specs.apollo.dev/inaccessible/";
    /** Specs the router implements or may safely ignore; any other spec linked "for: SECURITY | EXECUTION" is refused. */
    private static final List<String> KNOWN_SPECS = List.of(LINK_SPEC, CORE_SPEC, JOIN_SPEC, INACCESSIBLE_SPEC,
            "https://specs.apollo.dev/tag/", "https://specs.apollo.dev/authenticated/",
            "https://specs.apollo.dev/requiresScopes/", "https://specs.apollo.dev/policy/",
            "https://specs.apollo.dev/cost/", "https://specs.apollo.dev/context/");

    private SupergraphLoader() {}

    public static Supergraph load(String sdl) {
        return withLinesOnFailure(sdl, SupergraphLoader::load);
    }

    private static Supergraph load(Document document) {
        Names names = Names.fromLinks(document);
        List<Subgraph> subgraphs = subgraphs(document, names);
        Map<String, Subgraph> byEnumValue = new LinkedHashMap<>();
        subgraphs.forEach(s -> byEnumValue.put(s.enumValue(), s));

        Map<String, Map<String, TypeInSubgraph>> types = new LinkedHashMap<>();
        subgraphs.forEach(s -> types.put(s.name(), new LinkedHashMap<>()));
        List<ProgressiveOverride> overrides = new ArrayList<>();
        // most keys are the same few texts ("id"): each text is parsed once (a parse makes a whole parser; at 400
        // subgraphs the 3,000 key parses were an eighth of the load's allocation)
        Map<String, FieldSet> fieldSets = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type && !names.isMachinery(type.getName())) {
                extractType(type, names, byEnumValue, types, overrides, fieldSets);
            }
        }
        Map<String, SubgraphSchema> schemas = new LinkedHashMap<>();
        for (Subgraph subgraph : subgraphs) schemas.put(subgraph.name(), new SubgraphSchema(subgraph, Map.copyOf(types.get(subgraph.name()))));

        GraphQLSchema api = build(ApiSchemaFilter.apiDocument(document, names), "API schema");
        // the planner reads types and fields from the full schema, never its applied directives (the join facts are
        // extracted above): leaving them out spares graphql-java's directive validation, most of a big supergraph's
        // load. With nothing @inaccessible the API schema has every type and field the planner looks up (it lacks only
        // the machinery): one schema build instead of two (a faster load, as on every hot reload, and one schema
        // fewer in memory; docs/performance.md, "Figures behind the code").
        GraphQLSchema full = ApiSchemaFilter.hidesAnything(document, names)
                ? build(withoutAppliedDirectives(document), "supergraph") : api;
        return new Supergraph(List.copyOf(subgraphs), Map.copyOf(schemas), full, api, accessRequirements(document), demand(document),
                List.copyOf(overrides));
    }

    private static List<FieldDefinition> fieldDefinitionsOf(TypeDefinition<?> type) {
        return switch (type) {
            case ObjectTypeDefinition object -> object.getFieldDefinitions();
            case InterfaceTypeDefinition object -> object.getFieldDefinitions();
            default -> List.of();
        };
    }

    /** @cost weights (types and fields) and @listSize of list fields, by coordinate. */
    private static DemandControl demand(Document document) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        Map<String, DemandControl.ListSize> sizes = new LinkedHashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof TypeDefinition<?> type) || !(type instanceof DirectivesContainer<?> container)) continue;
            Integer typeWeight = weight(container.getDirectives());
            if (typeWeight != null) weights.put(type.getName(), typeWeight);
            List<FieldDefinition> fields = fieldDefinitionsOf(type);
            for (FieldDefinition field : fields) {
                String coordinate = type.getName() + "." + field.getName();
                Integer fieldWeight = weight(field.getDirectives());
                if (fieldWeight != null) weights.put(coordinate, fieldWeight);
                for (Directive directive : field.getDirectives()) {
                    if (!directive.getName().equals("listSize")) continue;
                    Integer assumed = directive.getArgument("assumedSize") != null
                            && directive.getArgument("assumedSize").getValue() instanceof IntValue i ? i.getValue().intValue() : null;
                    List<String> slicing = new ArrayList<>();
                    if (directive.getArgument("slicingArguments") != null && directive.getArgument("slicingArguments").getValue() instanceof ArrayValue names) {
                        names.getValues().forEach(v -> { if (v instanceof StringValue sv) slicing.add(sv.getValue()); });
                    }
                    sizes.put(coordinate, new DemandControl.ListSize(assumed, slicing));
                }
            }
        }
        return new DemandControl(weights, sizes);
    }

    private static Integer weight(List<Directive> directives) {
        for (Directive directive : directives) {
            if (directive.getName().equals("cost") && directive.getArgument("weight") != null
                    && directive.getArgument("weight").getValue() instanceof IntValue i) {
                return i.getValue().intValue();
            }
        }
        return null;
    }

    /** @authenticated, @requiresScopes and @policy on types and fields, by coordinate ({@code Type}, {@code Type.field}). */
    private static Map<String, AccessRequirement> accessRequirements(Document document) {
        Map<String, AccessRequirement> access = new LinkedHashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof TypeDefinition<?> type) || !(type instanceof DirectivesContainer<?> container)) continue;
            AccessRequirement own = requirement(container.getDirectives(), type.getName());
            if (own != null) access.put(type.getName(), own);
            List<FieldDefinition> fields = fieldDefinitionsOf(type);
            for (FieldDefinition field : fields) {
                String coordinate = type.getName() + "." + field.getName();
                AccessRequirement required = requirement(field.getDirectives(), coordinate);
                if (required != null) access.put(coordinate, required);
            }
        }
        return Map.copyOf(access);
    }

    private static AccessRequirement requirement(List<Directive> directives, String coordinate) {
        AccessRequirement requirement = null;
        for (Directive directive : directives) {
            AccessRequirement next = switch (directive.getName()) {
                case "authenticated" -> new AccessRequirement(true, List.of());
                case "requiresScopes" -> new AccessRequirement(true, alternatives(directive, "scopes"));
                case "policy" -> {
                    // an empty list would read as "no policy" or "nobody": neither is what its author can have meant
                    List<List<String>> policies = alternatives(directive, "policies");
                    if (policies.isEmpty() || policies.stream().anyMatch(List::isEmpty)) {
                        throw new SupergraphException("@policy on " + coordinate + " has an empty list of policies; name at least one in each");
                    }
                    yield new AccessRequirement(false, List.of(), policies);
                }
                default -> null;
            };
            if (next != null) requirement = requirement == null ? next : requirement.and(next);
        }
        return requirement;
    }

    /** The names of a directive argument of type [[String!]!]: alternatives (OR) of names that all apply (AND). */
    private static List<List<String>> alternatives(Directive directive, String argument) {
        List<List<String>> alternatives = new ArrayList<>();
        if (directive.getArgument(argument) != null && directive.getArgument(argument).getValue() instanceof ArrayValue outer) {
            for (Value<?> inner : outer.getValues()) {
                List<String> names = new ArrayList<>();
                if (inner instanceof ArrayValue list) {
                    list.getValues().forEach(v -> { if (v instanceof StringValue sv) names.add(sv.getValue()); });
                }
                alternatives.add(names);
            }
        }
        return alternatives;
    }

    /**
     * Only the type system of a supergraph (types, fields, interfaces, unions; no applied directive), built and
     * validated by graphql-java: what composition checks its output with, at a fraction of a full load's cost.
     */
    public static GraphQLSchema typeSystem(String sdl) {
        return withLinesOnFailure(sdl, document -> build(withoutAppliedDirectives(document), "supergraph"));
    }

    /** The documents a supergraph's two schemas are built from: the API schema's, then the full type system's. */
    static List<Document> schemaDocuments(String sdl) {
        Document document = parse(sdl);
        return List.of(ApiSchemaFilter.apiDocument(document, Names.fromLinks(document)), withoutAppliedDirectives(document));
    }

    /**
     * What {@code use} makes of the supergraph parsed in pieces, without source locations or comments (the lightest
     * parse: see {@link SdlPieces}); when that fails, what it makes of the supergraph parsed whole with them, so that
     * the error it fails with names its line. A broken supergraph is read twice; a good one once, in pieces.
     */
    private static <T> T withLinesOnFailure(String sdl, Function<Document, T> use) {
        Document inPieces;
        try {
            inPieces = parseInPieces(sdl);
        } catch (SupergraphException e) {
            return use.apply(parse(sdl));
        }
        try {
            return use.apply(inPieces);
        } catch (SupergraphException e) {
            return use.apply(parse(sdl));
        }
    }

    /** Parsed pieces are about this long (characters): one piece's parse tree is a few MB at most. */
    private static final int PIECE = 128 * 1024;

    private static Document parseInPieces(String sdl) {
        List<Definition> definitions = new ArrayList<>();
        for (String piece : SdlPieces.split(sdl, PIECE)) definitions.addAll(parse(piece, false).getDefinitions());
        return Document.newDocument().definitions(definitions).build();
    }

    private static Document parse(String sdl) {
        return parse(sdl, true);
    }

    /** A supergraph is trusted input and can be large: parsed without token limits. */
    private static Document parse(String sdl, boolean located) {
        try {
            return Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                    .parserOptions(ParserOptions.getDefaultParserOptions().transform(o -> o.maxTokens(Integer.MAX_VALUE)
                            .maxWhitespaceTokens(Integer.MAX_VALUE).maxCharacters(Integer.MAX_VALUE)
                            .captureSourceLocation(located).captureLineComments(located)))
                    .build());
        } catch (InvalidSyntaxException e) {
            throw new SupergraphException("the supergraph is not valid GraphQL SDL: " + e.getMessage(), e);
        }
    }

    private static Document withoutAppliedDirectives(Document document) {
        List<Definition> definitions = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            definitions.add(switch (definition) {
                case SchemaDefinition schema -> schema.transform(b -> b.directives(List.of()));
                case ObjectTypeDefinition type -> type.transform(b -> b.directives(List.of())
                        .fieldDefinitions(type.getFieldDefinitions().stream().map(SupergraphLoader::bare).toList()));
                case InterfaceTypeDefinition type -> type.transform(b -> b.directives(List.of())
                        .definitions(type.getFieldDefinitions().stream().map(SupergraphLoader::bare).toList()));
                case UnionTypeDefinition type -> type.transform(b -> b.directives(List.of()));
                case EnumTypeDefinition type -> type.transform(b -> b.directives(List.of()).enumValueDefinitions(
                        type.getEnumValueDefinitions().stream().map(v -> v.transform(vb -> vb.directives(List.of()))).toList()));
                case InputObjectTypeDefinition type -> type.transform(b -> b.directives(List.of()).inputValueDefinitions(
                        type.getInputValueDefinitions().stream().map(v -> v.transform(vb -> vb.directives(List.of()))).toList()));
                case ScalarTypeDefinition type -> type.transform(b -> b.directives(List.of()));
                default -> definition;
            });
        }
        return document.transform(b -> b.definitions(definitions));
    }

    private static FieldDefinition bare(FieldDefinition field) {
        return field.transform(b -> b.directives(List.of()).inputValueDefinitions(field.getInputValueDefinitions().stream()
                .map(a -> a.transform(ab -> ab.directives(List.of()))).toList()));
    }

    private static GraphQLSchema build(Document document, String what) {
        try {
            return SchemaBuilder.build(document);
        } catch (SchemaBuilder.SchemaBuildException e) {
            throw new SupergraphException("the " + what + " is not a valid schema: " + e.getMessage(), e);
        } catch (InvalidSchemaException | AssertException e) {
            throw new SupergraphException("the " + what + " is not a valid schema: " + e.getMessage(), e);
        }
    }

    private static List<Subgraph> subgraphs(Document document, Names names) {
        EnumTypeDefinition graphs = document.getDefinitionsOfType(EnumTypeDefinition.class).stream()
                .filter(e -> e.getName().equals(names.join("Graph"))).findFirst()
                .orElseThrow(() -> new SupergraphException("the supergraph has no enum " + names.join("Graph")
                        + ": is it a composed supergraph (join spec), not a subgraph schema?"));
        List<Subgraph> subgraphs = new ArrayList<>();
        graphs.getEnumValueDefinitions().forEach(value -> {
            Directive graph = value.getDirectives(names.join("graph")).stream().findFirst()
                    .orElseThrow(() -> error(value.getSourceLocation(), "join__Graph value " + value.getName()
                            + " has no @" + names.join("graph") + "(name:, url:)"));
            String name = string(graph, "name");
            subgraphs.add(new Subgraph(name, value.getName(), callableUrl(name, string(graph, "url"), value)));
        });
        return subgraphs;
    }

    /** A subgraph URL the router can call (http or https, with a host); anything else fails the load, not a request. */
    private static String callableUrl(String subgraph, String url, EnumValueDefinition where) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw error(where.getSourceLocation(), "the subgraph " + subgraph + " has the URL '" + url
                    + "', which the router cannot call: give it an http:// or https:// URL with a host");
        }
        return url;
    }

    private static void extractType(TypeDefinition<?> type, Names names, Map<String, Subgraph> byEnumValue,
                                    Map<String, Map<String, TypeInSubgraph>> types, List<ProgressiveOverride> overrides,
                                    Map<String, FieldSet> fieldSets) {
        DirectivesContainer<?> container = (DirectivesContainer<?>) type;
        List<Directive> joinTypes = container.getDirectives(names.join("type"));
        Map<String, List<Key>> keys = new LinkedHashMap<>();
        Map<String, Boolean> interfaceObject = new LinkedHashMap<>();
        for (Directive joinType : joinTypes) {
            String graph = graphOf(joinType, byEnumValue, type);
            keys.computeIfAbsent(graph, g -> new ArrayList<>());
            if (joinType.getArgument("key") != null) {
                keys.get(graph).add(new Key(fieldSet(fieldSets, string(joinType, "key"), type.getName() + " @key in " + graph),
                        bool(joinType, "resolvable", true)));
            }
            interfaceObject.merge(graph, bool(joinType, "isInterfaceObject", false), Boolean::logicalOr);
        }
        if (joinTypes.isEmpty()) byEnumValue.values().forEach(s -> keys.put(s.name(), new ArrayList<>()));
        // join v0.1: the owner resolves the fields that name no graph; it has the type even without a @join__type
        String owner = container.getDirectives(names.join("owner")).stream().findFirst()
                .map(d -> graphOf(d, byEnumValue, type)).orElse(null);
        if (owner != null) keys.computeIfAbsent(owner, g -> new ArrayList<>());

        Map<String, Map<String, FieldInSubgraph>> fields = new LinkedHashMap<>();
        keys.keySet().forEach(g -> fields.put(g, new LinkedHashMap<>()));
        Map<String, FieldLike> byName = new LinkedHashMap<>();
        for (FieldLike field : fieldsOf(type)) {
            byName.put(field.name(), field);
            List<Directive> joinFields = field.directives().stream()
                    .filter(d -> d.getName().equals(names.join("field"))).toList();
            if (joinFields.isEmpty()) {
                for (String graph : owner != null ? List.of(owner) : List.copyOf(keys.keySet())) {
                    fields.get(graph).put(field.name(), new FieldInSubgraph(field.name(), field.type(), false, null, null));
                }
                continue;
            }
            // progressive @override: the side that takes the field over names the subgraph it takes it from (override)
            // and the label; the side it is taken from has the label alone
            Map<String, String> labelledFrom = new LinkedHashMap<>();
            List<String[]> labelledTo = new ArrayList<>();
            for (Directive joinField : joinFields) {
                if (joinField.getArgument("graph") == null || joinField.getArgument("graph").getValue() == null) continue;
                String graph = graphOf(joinField, byEnumValue, type);
                if (joinField.getArgument("overrideLabel") != null) {
                    String label = string(joinField, "overrideLabel");
                    if (joinField.getArgument("override") != null) labelledTo.add(new String[] {graph, label});
                    else labelledFrom.put(label, graph);
                }
                boolean external = bool(joinField, "external", false)
                        || (bool(joinField, "usedOverridden", false) && joinField.getArgument("overrideLabel") == null);
                String where = type.getName() + "." + field.name() + " in " + graph;
                FieldSet requires = joinField.getArgument("requires") == null ? null : fieldSet(fieldSets, string(joinField, "requires"), where);
                FieldSet provides = joinField.getArgument("provides") == null ? null : fieldSet(fieldSets, string(joinField, "provides"), where);
                String fieldType = joinField.getArgument("type") == null ? field.type() : string(joinField, "type");
                fields.computeIfAbsent(graph, g -> new LinkedHashMap<>())
                        .put(field.name(), new FieldInSubgraph(field.name(), fieldType, external, requires, provides));
            }
            for (String[] to : labelledTo) {
                String from = labelledFrom.get(to[1]);
                if (from != null) overrides.add(new ProgressiveOverride(type.getName(), field.name(), from, to[0], to[1]));
            }
        }

        if (names.joinV01()) {
            // the key fields of an extended entity were @external in its subgraph: it can still answer them (they come
            // back from the representation), which is what a jump out of that subgraph by the key needs
            keys.forEach((graph, graphKeys) -> graphKeys.forEach(key -> key.fields().selections().getSelections().forEach(selection -> {
                if (selection instanceof Field f && byName.containsKey(f.getName())) {
                    fields.get(graph).putIfAbsent(f.getName(), new FieldInSubgraph(f.getName(), byName.get(f.getName()).type(), false, null, null));
                }
            })));
        }

        Map<String, Set<String>> interfaces = new LinkedHashMap<>();
        container.getDirectives(names.join("implements")).forEach(d ->
                interfaces.computeIfAbsent(graphOf(d, byEnumValue, type), g -> new LinkedHashSet<>()).add(string(d, "interface")));
        if (names.joinV01() && type instanceof ImplementingTypeDefinition<?> implementing) {
            for (String graph : keys.keySet()) {
                implementing.getImplements().forEach(t -> interfaces.computeIfAbsent(graph, g -> new LinkedHashSet<>())
                        .add(((TypeName) t).getName()));
            }
        }
        Map<String, Set<String>> members = new LinkedHashMap<>();
        if (type instanceof UnionTypeDefinition union) {
            List<Directive> memberships = union.getDirectives(names.join("unionMember"));
            if (memberships.isEmpty()) {
                keys.keySet().forEach(g -> members.put(g, union.getMemberTypes().stream()
                        .map(t -> ((TypeName) t).getName()).collect(LinkedHashSet::new, Set::add, Set::addAll)));
            }
            memberships.forEach(d -> members.computeIfAbsent(graphOf(d, byEnumValue, type), g -> new LinkedHashSet<>())
                    .add(string(d, "member")));
        }
        for (String graph : keys.keySet()) {
            types.get(graph).put(type.getName(), new TypeInSubgraph(type.getName(), List.copyOf(keys.get(graph)),
                    interfaceObject.getOrDefault(graph, false), Map.copyOf(fields.getOrDefault(graph, Map.of())),
                    Set.copyOf(interfaces.getOrDefault(graph, Set.of())), Set.copyOf(members.getOrDefault(graph, Set.of()))));
        }
    }

    /** The field set of this text, parsed once per load (a text that does not parse fails where it first appears). */
    private static FieldSet fieldSet(Map<String, FieldSet> parsed, String text, String where) {
        FieldSet known = parsed.get(text);
        if (known != null) return known;
        FieldSet fieldSet = FieldSet.parse(text, where);
        parsed.put(text, fieldSet);
        return fieldSet;
    }

    private record FieldLike(String name, String type, List<Directive> directives) {}

    private static List<FieldLike> fieldsOf(TypeDefinition<?> type) {
        return switch (type) {
            case ObjectTypeDefinition o -> o.getFieldDefinitions().stream().map(SupergraphLoader::fieldLike).toList();
            case InterfaceTypeDefinition i -> i.getFieldDefinitions().stream().map(SupergraphLoader::fieldLike).toList();
            case InputObjectTypeDefinition in -> in.getInputValueDefinitions().stream().map(SupergraphLoader::inputLike).toList();
            default -> List.of();
        };
    }

    private static FieldLike fieldLike(FieldDefinition f) {
        return new FieldLike(f.getName(), typeText(f.getType()), f.getDirectives());
    }

    private static FieldLike inputLike(InputValueDefinition f) {
        return new FieldLike(f.getName(), typeText(f.getType()), f.getDirectives());
    }

    /**
     * A type reference as SDL writes it ({@code [String!]!}): what graphql-java's AstPrinter prints for it, without
     * the printer it builds per call (an eighth of a big supergraph's load allocation went there).
     */
    @SuppressWarnings("rawtypes")
    static String typeText(Type type) {
        return switch (type) {
            case TypeName name -> name.getName();
            case NonNullType nonNull -> typeText(nonNull.getType()) + "!";
            case ListType list -> "[" + typeText(list.getType()) + "]";
            default -> throw new IllegalStateException("unknown type node " + type);
        };
    }

    private static String graphOf(Directive directive, Map<String, Subgraph> byEnumValue, TypeDefinition<?> where) {
        Argument graph = directive.getArgument("graph");
        if (graph == null || !(graph.getValue() instanceof EnumValue value)) {
            throw error(directive.getSourceLocation(), "@" + directive.getName() + " on " + where.getName() + " has no graph");
        }
        Subgraph subgraph = byEnumValue.get(value.getName());
        if (subgraph == null) {
            throw error(directive.getSourceLocation(), "@" + directive.getName() + " on " + where.getName()
                    + " names graph " + value.getName() + ", which join__Graph does not define");
        }
        return subgraph.name();
    }

    static String string(Directive directive, String argument) {
        Argument arg = directive.getArgument(argument);
        if (arg == null || !(arg.getValue() instanceof StringValue value)) {
            throw error(directive.getSourceLocation(), "@" + directive.getName() + " needs a string argument " + argument);
        }
        return value.getValue();
    }

    private static boolean bool(Directive directive, String argument, boolean defaultValue) {
        Argument arg = directive.getArgument(argument);
        Value<?> value = arg == null ? null : arg.getValue();
        return value instanceof BooleanValue b ? b.isValue() : defaultValue;
    }

    static SupergraphException error(SourceLocation location, String message) {
        String where = location == null ? "" : "line " + location.getLine() + ": ";
        return new SupergraphException(where + message);
    }

    /** Directive and type names of the linked specs, as this supergraph spells them (@link's as: renames them). */
    record Names(String joinPrefix, String inaccessible, Set<String> machineryPrefixes, boolean joinV01) {
        static Names fromLinks(Document document) {
            String join = "join";
            String inaccessible = "inaccessible";
            boolean joinV01 = false;
            Set<String> prefixes = new LinkedHashSet<>(List.of("link__", "join__", "core__"));
            for (SchemaDefinition schema : document.getDefinitionsOfType(SchemaDefinition.class)) {
                // Federation 2 links specs with @link(url:); Federation 1 supergraphs with @core(feature:)
                List<Directive> links = new ArrayList<>(schema.getDirectives("link"));
                links.addAll(schema.getDirectives("core"));
                for (Directive link : links) {
                    String url = string(link, link.getName().equals("core") ? "feature" : "url");
                    if (url.startsWith(JOIN_SPEC + "v0.1")) joinV01 = true;
                    String as = link.getArgument("as") == null ? null : string(link, "as");
                    String purpose = link.getArgument("for") != null && link.getArgument("for").getValue() instanceof EnumValue e ? e.getName() : null;
                    if (url.startsWith(JOIN_SPEC) && as != null) {
                        join = as;
                        prefixes.add(as + "__");
                    } else if (url.startsWith(INACCESSIBLE_SPEC) && as != null) {
                        inaccessible = as;
                    }
                    if (purpose != null && KNOWN_SPECS.stream().noneMatch(url::startsWith)) {
                        throw error(link.getSourceLocation(), "the supergraph links " + url + " for " + purpose
                                + ", which this router does not implement; serving it could expose or break what that spec protects");
                    }
                }
            }
            return new Names(join, inaccessible, Set.copyOf(prefixes), joinV01);
        }

        String join(String name) {
            return joinPrefix + "__" + name;
        }

        boolean isMachinery(String typeName) {
            return machineryPrefixes.stream().anyMatch(typeName::startsWith);
        }
    }
}
