package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.MergedArgument;
import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.MergedSchema.MergedValue;
import dev.vestibule.router.composition.SubgraphModel.ArgumentModel;
import dev.vestibule.router.composition.SubgraphModel.EnumValueModel;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Merges the subgraph models into one supergraph, the way Apollo's composition does: types are the union of the
 * subgraphs' types; object and interface fields the union, with {@code @join__field} wherever a field is not simply
 * served by every subgraph that has its type; output enums the union of values, input enums the intersection; input
 * objects and arguments the intersection; unions the union of members. Conflicts that leave no sound supergraph
 * (non-shareable fields in two subgraphs, kind and type mismatches, enum and input conflicts) become errors.
 */
final class SupergraphMerger {
    private static final List<String> ROOTS = List.of("Query", "Mutation", "Subscription");

    private final List<SubgraphModel> subgraphs;
    private final List<CompositionError> errors;
    private final List<CompositionHint> hints;
    private final Map<String, String> enumValueOf = new HashMap<>();
    private final MergedSchema schema = new MergedSchema();
    /** Supergraph-wide: each type's supertypes (interfaces it implements, unions it belongs to). */
    private final Map<String, Set<String>> supertypes = new HashMap<>();
    private final Map<String, String> enumInputUse = new HashMap<>();
    private final Map<String, String> enumOutputUse = new HashMap<>();
    private boolean usesInaccessible;
    private final Set<String> usedSpecDirectives = new LinkedHashSet<>();

    private record Source<T>(SubgraphModel subgraph, T element) {}

    SupergraphMerger(List<SubgraphModel> subgraphs, List<CompositionError> errors, List<CompositionHint> hints) {
        this.subgraphs = subgraphs;
        this.errors = errors;
        this.hints = hints;
    }

    MergedSchema merge() {
        Set<String> enumValues = new HashSet<>();
        for (SubgraphModel subgraph : subgraphs) {
            String value = subgraph.name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
            if (Character.isDigit(value.charAt(0))) value = "_" + value;
            String unique = value;
            for (int i = 1; !enumValues.add(unique); i++) unique = value + "_" + i;
            enumValueOf.put(subgraph.name, unique);
            schema.graphs.add(new MergedSchema.Graph(unique, subgraph.name, subgraph.url));
        }
        schema.joinMinor = joinMinor();
        collectRelations();

        Map<String, List<Source<TypeModel>>> byName = new LinkedHashMap<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                byName.computeIfAbsent(type.name, n -> new ArrayList<>()).add(new Source<>(subgraph, type));
            }
        }
        for (Map.Entry<String, List<Source<TypeModel>>> entry : byName.entrySet()) mergeType(entry.getKey(), entry.getValue());
        addInterfaceObjectFields(byName);
        schema.roots = new LinkedHashSet<>(ROOTS.stream().filter(schema.types::containsKey).toList());
        if (!schema.types.containsKey("Query")) {
            errors.add(new CompositionError("NO_QUERIES", "No queries found in any subgraph: a supergraph must have a query root type.",
                    subgraphs.stream().map(s -> s.name).toList(), null, 0, "add a Query type with at least one field to a subgraph"));
        }
        mergeExecutableDirectives();
        // Apollo links the inaccessible spec when any subgraph applies @inaccessible, even where the merge drops it
        // (an argument of a directive definition that does not reach the supergraph)
        usesInaccessible |= subgraphs.stream().anyMatch(s -> s.appliedSpecNames.containsKey("inaccessible"));
        schema.specs.addAll(FederationDefinitions.specs(schema.joinMinor, usesInaccessible, usedSpecDirectives));
        schema.specs.addAll(composedLinks());
        return schema;
    }

    private int joinMinor() {
        int max = subgraphs.stream().mapToInt(s -> s.links.minorVersion()).max().orElse(0);
        return max >= 8 ? 5 : max == 7 ? 4 : 3;
    }

    private void collectRelations() {
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                for (String name : type.interfaces) supertypes.computeIfAbsent(type.name, n -> new HashSet<>()).add(name);
                for (String member : type.members) supertypes.computeIfAbsent(member, n -> new HashSet<>()).add(type.name);
                for (FieldModel field : type.fields.values()) {
                    String named = SubgraphReader.namedType(field.type);
                    String coordinate = type.name + "." + field.name;
                    if (type.kind == Kind.INPUT_OBJECT) enumInputUse.putIfAbsent(named, coordinate);
                    else enumOutputUse.putIfAbsent(named, coordinate);
                    for (ArgumentModel argument : field.arguments.values()) {
                        enumInputUse.putIfAbsent(SubgraphReader.namedType(argument.type()), coordinate + "(" + argument.name() + ":)");
                    }
                }
            }
        }
    }

    private boolean isSubtype(String general, String specific) {
        if (general.equals(specific)) return true;
        Set<String> seen = new HashSet<>();
        List<String> queue = new ArrayList<>(List.of(specific));
        while (!queue.isEmpty()) {
            String next = queue.remove(queue.size() - 1);
            for (String parent : supertypes.getOrDefault(next, Set.of())) {
                if (parent.equals(general)) return true;
                if (seen.add(parent)) queue.add(parent);
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- types

    private void mergeType(String name, List<Source<TypeModel>> sources) {
        Kind kind = effectiveKind(sources.get(0).element());
        for (Source<TypeModel> source : sources) {
            Kind other = effectiveKind(source.element());
            if (other != kind) {
                Source<TypeModel> first = sources.get(0);
                errors.add(new CompositionError("TYPE_KIND_MISMATCH", "Type \"" + name + "\" has mismatched kind: it is defined as "
                        + describe(kind) + " in subgraph \"" + first.subgraph().name + "\" but " + describe(other) + " in subgraph \""
                        + source.subgraph().name + "\"", List.of(first.subgraph().name, source.subgraph().name), name,
                        source.element().line, "make " + name + " the same kind of type in every subgraph, or rename it in one"));
                return;
            }
        }
        MergedType merged = new MergedType(name, kind);
        merged.description = mostCommon(sources.stream().map(s -> s.element().description).toList());
        for (Source<TypeModel> source : sources) {
            TypeModel type = source.element();
            String graph = enumValueOf.get(source.subgraph().name);
            if (kind == Kind.OBJECT || kind == Kind.INTERFACE) {
                for (String implemented : type.interfaces) {
                    if (!merged.interfaces.contains(implemented)) merged.interfaces.add(implemented);
                    if (!type.interfaceObject) {
                        merged.directives.add("@join__implements(graph: " + graph + ", interface: " + SdlValues.quote(implemented) + ")");
                    }
                }
            }
        }
        for (Source<TypeModel> source : sources) {
            TypeModel type = source.element();
            String graph = enumValueOf.get(source.subgraph().name);
            String flags = (type.extension ? ", extension: true" : "");
            String interfaceObject = type.interfaceObject ? ", isInterfaceObject: true" : "";
            if (type.keys.isEmpty()) {
                merged.directives.add("@join__type(graph: " + graph + flags + interfaceObject + ")");
            }
            for (Key key : type.keys) {
                merged.directives.add("@join__type(graph: " + graph + ", key: " + SdlValues.quote(key.fields()) + flags
                        + (key.explicit() || !key.resolvable() ? ", resolvable: " + key.resolvable() : "") + interfaceObject + ")");
            }
        }
        if (kind == Kind.UNION) {
            for (Source<TypeModel> source : sources) {
                for (String member : source.element().members) {
                    if (!merged.members.contains(member)) merged.members.add(member);
                    merged.directives.add("@join__unionMember(graph: " + enumValueOf.get(source.subgraph().name)
                            + ", member: " + SdlValues.quote(member) + ")");
                }
            }
        }
        if (sources.stream().anyMatch(s -> s.element().inaccessible)) {
            usesInaccessible = true;
            merged.directives.add("@inaccessible");
        }
        merged.directives.addAll(passThrough(sources.stream().flatMap(s -> s.element().passThrough.stream()).toList()));
        for (Source<TypeModel> source : sources) {
            for (String context : source.element().contexts) {
                usedSpecDirectives.add("context");
                merged.directives.add("@context(name: " + SdlValues.quote(source.subgraph().name + "__" + context) + ")");
            }
        }
        switch (kind) {
            case OBJECT, INTERFACE -> mergeFields(merged, sources);
            case INPUT_OBJECT -> mergeInputFields(merged, sources);
            case ENUM -> mergeEnumValues(merged, sources);
            default -> { }
        }
        schema.types.put(name, merged);
    }

    private static Kind effectiveKind(TypeModel type) {
        return type.interfaceObject ? Kind.INTERFACE : type.kind;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case OBJECT -> "Object Type";
            case INTERFACE -> "Interface Type";
            case UNION -> "Union Type";
            case ENUM -> "Enum Type";
            case INPUT_OBJECT -> "Input Object Type";
            case SCALAR -> "Scalar Type";
        };
    }

    // ---------------------------------------------------------------- object and interface fields

    private void mergeFields(MergedType merged, List<Source<TypeModel>> typeSources) {
        Map<String, List<Source<FieldModel>>> byName = new LinkedHashMap<>();
        for (Source<TypeModel> source : typeSources) {
            for (FieldModel field : source.element().fields.values()) {
                byName.computeIfAbsent(field.name, n -> new ArrayList<>()).add(new Source<>(source.subgraph(), field));
            }
        }
        for (Map.Entry<String, List<Source<FieldModel>>> entry : byName.entrySet()) {
            MergedField field = mergeField(merged, typeSources, entry.getKey(), entry.getValue());
            if (field != null) merged.fields.put(field.name, field);
        }
    }

    private MergedField mergeField(MergedType type, List<Source<TypeModel>> typeSources, String name,
                                   List<Source<FieldModel>> sources) {
        String coordinate = type.name + "." + name;
        MergedField merged = new MergedField(name);
        merged.description = mostCommon(sources.stream().map(s -> s.element().description).toList());
        // the type comes from the subgraphs that resolve the field; @external copies must then agree with it
        List<Source<FieldModel>> resolvingSources = sources.stream().filter(s -> !s.element().external).toList();
        Type<?> mergedType = mergeOutputTypes(coordinate, resolvingSources.isEmpty() ? sources : resolvingSources);
        if (mergedType == null) return null;
        merged.type = SdlValues.type(mergedType);

        // @override: the subgraph a field moved away from no longer serves it (unless a label makes it progressive)
        Map<String, Source<FieldModel>> overriddenBy = new HashMap<>();
        Set<String> overrides = new HashSet<>();
        Set<String> unknownFrom = new HashSet<>();
        Map<String, String> progressivelyOverridden = new HashMap<>();
        for (Source<FieldModel> source : sources) {
            String from = source.element().overrideFrom;
            if (from == null) continue;
            String subgraph = source.subgraph().name;
            FieldModel field = source.element();
            TypeModel owner = source.subgraph().types.get(type.name);
            if (owner != null && owner.interfaceObject) {
                errors.add(new CompositionError("OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE", "@override is not yet supported on fields of"
                        + " @interfaceObject types: cannot be used on field \"" + coordinate + "\" on subgraph \"" + subgraph + "\".",
                        List.of(subgraph), coordinate, field.line, "remove @override from " + coordinate + " in \"" + subgraph + "\""));
                continue;
            }
            boolean known = subgraphs.stream().anyMatch(s -> s.name.equals(from));
            if (!known) {
                // an unknown "from" is harmless: Apollo hints, keeps the argument in join__field, and takes nothing away
                hints.add(new CompositionHint("FROM_SUBGRAPH_DOES_NOT_EXIST", "Source subgraph \"" + from + "\" for field \""
                        + coordinate + "\" on subgraph \"" + subgraph + "\" does not exist."));
                unknownFrom.add(subgraph);
                continue;
            }
            if (from.equals(subgraph)) continue; // OVERRIDE_FROM_SELF_ERROR, reported by the reader
            Source<FieldModel> overridden = sources.stream().filter(s -> s.subgraph().name.equals(from)).findFirst().orElse(null);
            if (overridden != null && overridden.element().overrideFrom != null) {
                errors.add(new CompositionError("OVERRIDE_SOURCE_HAS_OVERRIDE", "Field \"" + coordinate + "\" on subgraph \"" + subgraph
                        + "\" is also marked with directive @override in subgraph \"" + from + "\". Only one @override directive is allowed per field.",
                        List.of(subgraph, from), coordinate, field.line, "keep @override on " + coordinate + " in one subgraph only"));
                continue;
            }
            if (overridden != null) {
                String conflict = overridden.element().requires != null ? "@requires" : overridden.element().provides != null ? "@provides" : null;
                String conflictIn = conflict != null ? from : field.external ? subgraph : null;
                if (conflict == null && field.external) conflict = "@external";
                if (conflict != null) {
                    // the overridden copy's @requires/@provides (or an @external override) has no owner once the field moves
                    errors.add(new CompositionError("OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE", "@override cannot be used on field \""
                            + coordinate + "\" on subgraph \"" + subgraph + "\" since \"" + coordinate + "\" on \"" + conflictIn
                            + "\" is marked with directive \"" + conflict + "\"", List.of(subgraph, from), coordinate, field.line,
                            conflict.equals("@external") ? "remove @external from " + coordinate + " in \"" + subgraph + "\" (the overriding subgraph resolves it)"
                                    : "remove " + conflict + " from " + coordinate + " in \"" + from + "\" before moving the field with @override"));
                    continue;
                }
                if (field.overrideLabel != null && !validOverrideLabel(field.overrideLabel)) {
                    errors.add(new CompositionError("OVERRIDE_LABEL_INVALID", "Invalid @override label \"" + field.overrideLabel + "\" on field \""
                            + coordinate + "\" on subgraph \"" + subgraph + "\": labels must start with a letter and after that may contain alphanumerics,"
                            + " underscores, minuses, colons, periods, or slashes. Alternatively, labels may be of the form \"percent(x)\" where x is a"
                            + " float between 0-100 inclusive.", List.of(subgraph), coordinate, field.line,
                            "use a label like \"my-flag\" or \"percent(25)\""));
                    continue;
                }
            }
            overrides.add(subgraph);
            if (source.element().overrideLabel == null) overriddenBy.put(from, source);
            else progressivelyOverridden.put(from, source.element().overrideLabel);
        }
        Set<String> notResolving = new HashSet<>(overriddenBy.keySet());
        notResolving.addAll(progressivelyOverridden.keySet());
        checkShareability(type, coordinate, sources, notResolving);
        if (type.kind == Kind.OBJECT && sources.stream().allMatch(s -> s.element().external)) {
            List<String> names = sources.stream().map(s -> s.subgraph().name).toList();
            errors.add(new CompositionError("EXTERNAL_MISSING_ON_BASE", "Field \"" + coordinate + "\" is marked @external on all the subgraphs in which it is listed ("
                    + (names.size() == 1 ? "subgraph " : "subgraphs ") + quoteList(names) + ").", names, coordinate,
                    sources.get(0).element().line, "some subgraph must resolve " + coordinate + ": define it there without @external"));
        }
        boolean typesDiffer = sources.stream().anyMatch(s -> !SdlValues.type(s.element().type).equals(merged.type));

        boolean needsJoinField = sources.size() != typeSources.size();
        List<String> joins = new ArrayList<>();
        for (Source<FieldModel> source : sources) {
            FieldModel field = source.element();
            String graph = enumValueOf.get(source.subgraph().name);
            StringBuilder join = new StringBuilder("@join__field(graph: ").append(graph);
            if (overriddenBy.containsKey(source.subgraph().name) && !field.external) {
                needsJoinField = true;
                if (!field.usedInFieldSet && !satisfiesInterface(source.subgraph(), type.name, field.name)) continue;
                joins.add(join.append(", usedOverridden: true)").toString());
                continue;
            }
            boolean special = false;
            if (field.requires != null) { join.append(", requires: ").append(SdlValues.quote(field.requires)); special = true; }
            if (field.provides != null) { join.append(", provides: ").append(SdlValues.quote(field.provides)); special = true; }
            if (typesDiffer) { join.append(", type: ").append(SdlValues.quote(SdlValues.type(field.type))); special = true; }
            if (field.external) { join.append(", external: true"); special = true; }
            if (unknownFrom.contains(source.subgraph().name)) {
                // kept when the field needs join__field anyway, but no reason to write one
                join.append(", override: ").append(SdlValues.quote(field.overrideFrom));
            }
            if (overrides.contains(source.subgraph().name)) {
                join.append(", override: ").append(SdlValues.quote(field.overrideFrom));
                if (field.overrideLabel != null) join.append(", overrideLabel: ").append(SdlValues.quote(field.overrideLabel));
                special = true;
            }
            List<String> contextArguments = new ArrayList<>();
            for (ArgumentModel argument : field.arguments.values()) {
                if (argument.fromContext() == null) continue;
                String value = argument.fromContext().trim();
                int space = value.indexOf(' ');
                String context = (space < 0 ? value : value.substring(0, space)).replaceFirst("^\\$", "");
                contextArguments.add("{context: " + SdlValues.quote(source.subgraph().name + "__" + context) + ", name: "
                        + SdlValues.quote(argument.name()) + ", type: " + SdlValues.quote(SdlValues.type(argument.type()))
                        + ", selection: " + SdlValues.quote(space < 0 ? "" : value.substring(space)) + "}");
            }
            if (!contextArguments.isEmpty()) {
                join.append(", contextArguments: [").append(String.join(", ", contextArguments)).append("]");
                special = true;
            }
            if (progressivelyOverridden.containsKey(source.subgraph().name)) {
                // during a progressive override both subgraphs serve the field; the label says which share goes where
                join.append(", overrideLabel: ").append(SdlValues.quote(progressivelyOverridden.get(source.subgraph().name)));
                special = true;
            }
            needsJoinField |= special;
            joins.add(join.append(")").toString());
        }
        if (needsJoinField) merged.directives.addAll(joins);
        if (sources.stream().anyMatch(s -> s.element().inaccessible)) {
            usesInaccessible = true;
            merged.directives.add(0, "@inaccessible");
        }
        // an @external copy does not serve the field: its directives do not reach the supergraph
        merged.directives.addAll(passThrough((resolvingSources.isEmpty() ? sources : resolvingSources).stream()
                .flatMap(s -> s.element().passThrough.stream()).toList()));
        List<Source<FieldModel>> argumentSources = sources.stream().filter(s -> !s.element().external).toList();
        mergeArguments(coordinate, merged, argumentSources.isEmpty() ? sources : argumentSources);
        checkExternalCopies(coordinate, merged, mergedType, resolvingSources, sources);
        checkContextualInAllSubgraphs(coordinate, sources);
        // an argument filled from a context is the router's business, not the client's
        merged.arguments.removeIf(a -> sources.stream().anyMatch(s -> {
            ArgumentModel own = s.element().arguments.get(a.name());
            return own != null && own.fromContext() != null;
        }));
        return merged;
    }

    /**
     * An argument one subgraph fills from a context leaves the supergraph: a subgraph that declares it without
     * @fromContext can only do without it when it is nullable or has a default (a hint), else it could never be given.
     */
    private void checkContextualInAllSubgraphs(String coordinate, List<Source<FieldModel>> sources) {
        Set<String> contextual = new LinkedHashSet<>();
        for (Source<FieldModel> source : sources) {
            source.element().arguments.values().stream().filter(a -> a.fromContext() != null).forEach(a -> contextual.add(a.name()));
        }
        for (String name : contextual) {
            String argumentCoordinate = coordinate + "(" + name + ":)";
            for (Source<FieldModel> source : sources) {
                ArgumentModel own = source.element().arguments.get(name);
                if (own == null || own.fromContext() != null) continue;
                if (own.type() instanceof NonNullType && own.defaultValue() == null) {
                    errors.add(new CompositionError("CONTEXTUAL_ARGUMENT_NOT_CONTEXTUAL_IN_ALL_SUBGRAPHS", "Argument \"" + argumentCoordinate
                            + "\" is contextual in at least one subgraph but in \"" + argumentCoordinate + "\" it does not have @fromContext,"
                            + " is not nullable and has no default value.", List.of(source.subgraph().name), argumentCoordinate, own.line(),
                            "in \"" + source.subgraph().name + "\", fill " + argumentCoordinate + " with the same @fromContext, or make it nullable"
                                    + " or give it a default (the supergraph drops a contextual argument, so no client can pass it)"));
                } else {
                    hints.add(new CompositionHint("CONTEXTUAL_ARGUMENT_NOT_CONTEXTUAL_IN_ALL_SUBGRAPHS", "Contextual argument \""
                            + argumentCoordinate + "\" will not be included in the supergraph since it is contextual in at least one subgraph"));
                }
            }
        }
    }

    private static final Pattern OVERRIDE_LABEL = Pattern.compile("[a-zA-Z][a-zA-Z0-9_\\-:./]*");
    private static final Pattern OVERRIDE_PERCENT = Pattern.compile("percent\\((\\d{1,2}(\\.\\d{1,8})?|100)\\)");

    /** A feature-flag label, or "percent(x)" with x from 0 to 100 (up to 8 decimals). */
    static boolean validOverrideLabel(String label) {
        return OVERRIDE_LABEL.matcher(label).matches() || OVERRIDE_PERCENT.matcher(label).matches();
    }

    /**
     * An @external copy of a field states what another subgraph resolves: its type must be the resolved type (or a
     * subtype when the subgraphs already differ), and it must take the same arguments with compatible types and equal
     * defaults. Directives that reach the supergraph cannot be applied to it: it does not serve the field.
     */
    private void checkExternalCopies(String coordinate, MergedField merged, Type<?> mergedType, List<Source<FieldModel>> resolving,
                                     List<Source<FieldModel>> sources) {
        if (resolving.isEmpty()) return;
        boolean allTypesEqual = resolving.stream().allMatch(s -> SdlValues.type(s.element().type).equals(merged.type));
        Source<FieldModel> reference = resolving.get(0);
        for (Source<FieldModel> source : sources) {
            FieldModel external = source.element();
            if (!external.external) continue;
            String subgraph = source.subgraph().name;
            String externalType = SdlValues.type(external.type);
            if (!externalType.equals(merged.type) && !(!allTypesEqual && outputCompatible(mergedType, external.type))) {
                errors.add(new CompositionError("EXTERNAL_TYPE_MISMATCH", "Type of field \"" + coordinate + "\" is incompatible across subgraphs"
                        + " (where marked @external): it has type \"" + merged.type + "\" in subgraph \"" + reference.subgraph().name
                        + "\" but type \"" + externalType + "\" in subgraph \"" + subgraph + "\"", List.of(reference.subgraph().name, subgraph),
                        coordinate, external.line, "declare " + coordinate + " @external in \"" + subgraph + "\" with type " + merged.type));
            }
            for (MergedArgument argument : merged.arguments) {
                String argumentCoordinate = coordinate + "(" + argument.name() + ":)";
                ArgumentModel own = external.arguments.get(argument.name());
                if (own == null) {
                    errors.add(new CompositionError("EXTERNAL_ARGUMENT_MISSING", "Field \"" + coordinate + "\" is missing argument \""
                            + argumentCoordinate + "\" in some subgraphs where it is marked @external: argument \"" + argumentCoordinate
                            + "\" is declared in subgraph \"" + reference.subgraph().name + "\" but not in subgraph \"" + subgraph
                            + "\" (where \"" + coordinate + "\" is @external).", List.of(reference.subgraph().name, subgraph), argumentCoordinate,
                            external.line, "add " + argument.name() + ": " + argument.type() + " to " + coordinate + " in \"" + subgraph + "\""));
                    continue;
                }
                String ownType = SdlValues.type(own.type());
                if (!ownType.equals(argument.type()) && !inputSubtype(argument.type(), ownType)) {
                    errors.add(new CompositionError("EXTERNAL_ARGUMENT_TYPE_MISMATCH", "Type of argument \"" + argumentCoordinate
                            + "\" is incompatible across subgraphs (where \"" + coordinate + "\" is marked @external): it has type \""
                            + argument.type() + "\" in subgraph \"" + reference.subgraph().name + "\" but type \"" + ownType + "\" in subgraph \""
                            + subgraph + "\"", List.of(reference.subgraph().name, subgraph), argumentCoordinate, own.line(),
                            "give " + argumentCoordinate + " the type " + argument.type() + " in \"" + subgraph + "\""));
                }
                String ownDefault = own.defaultValue() == null ? null : SdlValues.value(own.defaultValue());
                if (!Objects.equals(ownDefault, argument.defaultValue())) {
                    errors.add(new CompositionError("EXTERNAL_ARGUMENT_DEFAULT_MISMATCH", "Argument \"" + argumentCoordinate
                            + "\" has incompatible defaults across subgraphs (where \"" + coordinate + "\" is marked @external): it has "
                            + (argument.defaultValue() == null ? "no default value" : "default value " + argument.defaultValue()) + " in subgraph \""
                            + reference.subgraph().name + "\" but " + (ownDefault == null ? "no default value" : "default value " + ownDefault)
                            + " in subgraph \"" + subgraph + "\"", List.of(reference.subgraph().name, subgraph), argumentCoordinate, own.line(),
                            "give " + argumentCoordinate + " the same default in \"" + subgraph + "\" as where the field is resolved"));
                }
            }
            if (!source.subgraph().links.federation2()) continue;
            List<String> applied = new ArrayList<>();
            if (external.inaccessible) applied.add("@inaccessible");
            // spec directives and @deprecated merge into the supergraph; a composed custom directive is left alone, as Apollo does
            external.passThrough.stream().filter(d -> d.getName().equals("deprecated") || FederationDefinitions.SPEC_DIRECTIVES.contains(d.getName()))
                    .forEach(d -> applied.add(SdlValues.directive(d)));
            for (String directive : applied) {
                errors.add(new CompositionError("MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL", "[" + subgraph + "] Cannot apply merged directive "
                        + directive + " to external field \"" + coordinate + "\"", List.of(subgraph), coordinate, external.line,
                        "move " + directive + " to " + coordinate + " in the subgraph that resolves it"));
            }
        }
    }

    /** Whether input type {@code specific} is {@code general} or stricter (non-null where general is nullable). */
    static boolean inputSubtype(String specific, String general) {
        if (specific.equals(general)) return true;
        if (specific.endsWith("!") && !general.endsWith("!")) return inputSubtype(specific.substring(0, specific.length() - 1), general);
        if (specific.endsWith("!") && general.endsWith("!")) {
            return inputSubtype(specific.substring(0, specific.length() - 1), general.substring(0, general.length() - 1));
        }
        if (specific.startsWith("[") && specific.endsWith("]") && general.startsWith("[") && general.endsWith("]")) {
            return inputSubtype(specific.substring(1, specific.length() - 1), general.substring(1, general.length() - 1));
        }
        return false;
    }

    private static boolean satisfiesInterface(SubgraphModel subgraph, String typeName, String fieldName) {
        TypeModel type = subgraph.types.get(typeName);
        if (type == null) return false;
        for (String name : type.interfaces) {
            TypeModel declared = subgraph.types.get(name);
            if (declared != null && declared.fields.containsKey(fieldName)) return true;
        }
        return false;
    }

    /** Whether a @provides of the subgraph names the field, on its type or on an interface of it. */
    private static boolean provided(SubgraphModel subgraph, String typeName, FieldModel field) {
        if (field.provided) return true;
        TypeModel type = subgraph.types.get(typeName);
        if (type == null) return false;
        for (String name : type.interfaces) {
            TypeModel declared = subgraph.types.get(name);
            FieldModel onInterface = declared == null ? null : declared.fields.get(field.name);
            if (onInterface != null && onInterface.provided) return true;
        }
        return false;
    }

    private void checkShareability(MergedType type, String coordinate, List<Source<FieldModel>> sources,
                                   Set<String> overridden) {
        if (type.kind != Kind.OBJECT) return;
        // an @external field a @provides names is resolved there too (on the provided path), and shareable there
        List<Source<FieldModel>> resolving = sources.stream()
                .filter(s -> (!s.element().external || provided(s.subgraph(), type.name, s.element())) && !overridden.contains(s.subgraph().name)).toList();
        if (resolving.size() < 2) return;
        List<String> nonShareable = new ArrayList<>();
        for (Source<FieldModel> source : resolving) {
            TypeModel owner = source.subgraph().types.get(type.name);
            FieldModel field = source.element();
            // Apollo's upgrade of a Federation 1 subgraph marks its fields shareable wherever another subgraph resolves them
            boolean shareable = field.shareable || field.inKey || (owner != null && owner.shareable)
                    || !source.subgraph().links.federation2() || field.external && provided(source.subgraph(), type.name, field);
            if (!shareable) nonShareable.add(source.subgraph().name);
        }
        if (nonShareable.isEmpty()) return;
        List<String> names = resolving.stream().map(s -> s.subgraph().name).toList();
        errors.add(new CompositionError("INVALID_FIELD_SHARING", "Non-shareable field \"" + coordinate
                + "\" is resolved from multiple subgraphs: it is resolved from subgraphs " + quoteList(names)
                + " and defined as non-shareable in " + (nonShareable.size() == 1 ? "subgraph " : "all of them") 
                + (nonShareable.size() == 1 ? "\"" + nonShareable.get(0) + "\"" : ""),
                names, coordinate, resolving.get(0).element().line,
                "mark " + coordinate + " @shareable in every subgraph that resolves it, or move it with @override(from:)"));
    }

    private Type<?> mergeOutputTypes(String coordinate, List<Source<FieldModel>> sources) {
        Type<?> merged = sources.get(0).element().type;
        for (Source<FieldModel> source : sources.subList(1, sources.size())) {
            Type<?> next = source.element().type;
            if (outputCompatible(merged, next)) continue;
            if (outputCompatible(next, merged)) {
                merged = next;
                continue;
            }
            Source<FieldModel> first = sources.get(0);
            errors.add(new CompositionError("FIELD_TYPE_MISMATCH", "Type of field \"" + coordinate
                    + "\" is incompatible across subgraphs: it has type \"" + SdlValues.type(first.element().type)
                    + "\" in subgraph \"" + first.subgraph().name + "\" but type \"" + SdlValues.type(next) + "\" in subgraph \""
                    + source.subgraph().name + "\"", List.of(first.subgraph().name, source.subgraph().name), coordinate,
                    source.element().line, "give " + coordinate + " the same type in every subgraph (nullability and a"
                    + " subtype may differ, the named type may not)"));
            return null;
        }
        return merged;
    }

    /** Whether an output field typed {@code specific} in one subgraph fits the supergraph type {@code general}. */
    private boolean outputCompatible(Type<?> general, Type<?> specific) {
        if (general instanceof NonNullType g) {
            return specific instanceof NonNullType s && outputCompatible(g.getType(), s.getType());
        }
        if (specific instanceof NonNullType s) return outputCompatible(general, s.getType());
        if (general instanceof ListType g) return specific instanceof ListType s && outputCompatible(g.getType(), s.getType());
        if (specific instanceof ListType) return false;
        return isSubtype(((TypeName) general).getName(), ((TypeName) specific).getName());
    }

    /** Input positions merge to the strictest type: non-null if any subgraph requires it; the named types must agree. */
    private Type<?> mergeInputTypes(String coordinate, List<? extends Source<?>> sources, Function<Object, Type<?>> typeOf,
                                    Function<Object, Integer> lineOf, String code) {
        Type<?> merged = typeOf.apply(sources.get(0).element());
        for (Source<?> source : sources.subList(1, sources.size())) {
            Type<?> next = typeOf.apply(source.element());
            Type<?> stricter = stricter(merged, next);
            if (stricter == null) {
                Source<?> first = sources.get(0);
                errors.add(new CompositionError(code, "Type of " + coordinate + " is incompatible across subgraphs: it has type \""
                        + SdlValues.type(merged) + "\" in subgraph \"" + first.subgraph().name + "\" but type \""
                        + SdlValues.type(next) + "\" in subgraph \"" + source.subgraph().name + "\"",
                        List.of(first.subgraph().name, source.subgraph().name), coordinate, lineOf.apply(source.element()),
                        "give " + coordinate + " the same type in every subgraph"));
                return null;
            }
            merged = stricter;
        }
        return merged;
    }

    private static Type<?> stricter(Type<?> a, Type<?> b) {
        if (a instanceof NonNullType na) {
            Type<?> inner = stricter(na.getType(), b instanceof NonNullType nb ? nb.getType() : b);
            return inner == null ? null : NonNullType.newNonNullType(inner).build();
        }
        if (b instanceof NonNullType nb) {
            Type<?> inner = stricter(a, nb.getType());
            return inner == null ? null : NonNullType.newNonNullType(inner).build();
        }
        if (a instanceof ListType la) {
            if (!(b instanceof ListType lb)) return null;
            Type<?> inner = stricter(la.getType(), lb.getType());
            return inner == null ? null : ListType.newListType(inner).build();
        }
        if (b instanceof ListType) return null;
        return ((TypeName) a).getName().equals(((TypeName) b).getName()) ? a : null;
    }

    private void mergeArguments(String coordinate, MergedField merged, List<Source<FieldModel>> sources) {
        Set<String> names = new LinkedHashSet<>();
        sources.forEach(s -> names.addAll(s.element().arguments.keySet()));
        for (String name : names) {
            String argumentCoordinate = coordinate + "(" + name + ":)";
            List<Source<ArgumentModel>> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Source<FieldModel> source : sources) {
                ArgumentModel argument = source.element().arguments.get(name);
                if (argument == null) missing.add(source.subgraph().name);
                else present.add(new Source<>(source.subgraph(), argument));
            }
            if (!missing.isEmpty()) {
                List<String> requiring = present.stream().filter(s -> s.element().type() instanceof NonNullType
                        && s.element().defaultValue() == null).map(s -> s.subgraph().name).toList();
                if (!requiring.isEmpty()) {
                    errors.add(new CompositionError("REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH", "Argument \"" + argumentCoordinate
                            + "\" is required in some subgraphs but does not appear in all subgraphs: it is required in "
                            + quoteList(requiring) + " but does not appear in " + quoteList(missing),
                            concat(requiring, missing), argumentCoordinate, present.get(0).element().line(),
                            "add the argument to " + coordinate + " in " + quoteList(missing) + ", or make it optional"));
                } else {
                    hints.add(new CompositionHint("INCONSISTENT_ARGUMENT_PRESENCE", "Optional argument \"" + argumentCoordinate
                            + "\" will not be included in the supergraph as it does not appear in all subgraphs: it is defined in "
                            + quoteList(present.stream().map(s -> s.subgraph().name).toList()) + " but not in " + quoteList(missing)));
                }
                continue;
            }
            Type<?> type = mergeInputTypes("argument \"" + argumentCoordinate + "\"", present,
                    a -> ((ArgumentModel) a).type(), a -> ((ArgumentModel) a).line(), "FIELD_ARGUMENT_TYPE_MISMATCH");
            if (type == null) continue;
            String defaultValue = mergeDefault("FIELD_ARGUMENT_DEFAULT_MISMATCH", argumentCoordinate, present.stream()
                    .map(s -> new Source<Value<?>>(s.subgraph(), s.element().defaultValue())).toList());
            List<String> directives = new ArrayList<>();
            if (present.stream().anyMatch(s -> s.element().inaccessible())) {
                usesInaccessible = true;
                directives.add("@inaccessible");
            }
            directives.addAll(passThrough(present.stream().flatMap(s -> s.element().passThrough().stream()).toList()));
            merged.arguments.add(new MergedArgument(name, SdlValues.type(type), defaultValue,
                    mostCommon(present.stream().map(s -> s.element().description()).toList()), directives));
        }
    }

    private String mergeDefault(String code, String coordinate, List<Source<Value<?>>> defaults) {
        String merged = null;
        String mergedFrom = null;
        for (Source<Value<?>> source : defaults) {
            if (source.element() == null) continue;
            String value = SdlValues.value(source.element());
            if (merged == null) {
                merged = value;
                mergedFrom = source.subgraph().name;
            } else if (!merged.equals(value)) {
                errors.add(new CompositionError(code, "\"" + coordinate + "\" has incompatible default values across subgraphs: it has default value "
                        + merged + " in subgraph \"" + mergedFrom + "\" but default value " + value + " in subgraph \"" + source.subgraph().name + "\"",
                        List.of(mergedFrom, source.subgraph().name), coordinate, 0, "use the same default value in every subgraph"));
                return merged;
            }
        }
        return merged;
    }

    /** A field an @interfaceObject adds to an interface is served, through the interface, on every implementation. */
    private void addInterfaceObjectFields(Map<String, List<Source<TypeModel>>> byName) {
        for (Map.Entry<String, List<Source<TypeModel>>> entry : byName.entrySet()) {
            List<Source<TypeModel>> objects = entry.getValue().stream().filter(s -> s.element().interfaceObject).toList();
            MergedType merged = schema.types.get(entry.getKey());
            if (objects.isEmpty() || merged == null || merged.kind != Kind.INTERFACE) continue;
            Set<String> contributed = new LinkedHashSet<>();
            objects.forEach(s -> contributed.addAll(s.element().fields.keySet()));
            for (MergedType implementation : schema.types.values()) {
                if (implementation.kind != Kind.OBJECT || !implementation.interfaces.contains(merged.name)) continue;
                for (String fieldName : contributed) {
                    if (implementation.fields.containsKey(fieldName)) continue;
                    MergedField source = merged.fields.get(fieldName);
                    if (source == null) continue;
                    MergedField copy = new MergedField(fieldName);
                    copy.type = source.type;
                    copy.description = source.description;
                    copy.arguments.addAll(source.arguments);
                    copy.directives.add("@join__field");
                    implementation.fields.put(fieldName, copy);
                }
            }
        }
    }

    // ---------------------------------------------------------------- input objects

    private void mergeInputFields(MergedType merged, List<Source<TypeModel>> typeSources) {
        Set<String> names = new LinkedHashSet<>();
        typeSources.forEach(s -> names.addAll(s.element().fields.keySet()));
        for (String name : names) {
            String coordinate = merged.name + "." + name;
            List<Source<FieldModel>> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Source<TypeModel> source : typeSources) {
                FieldModel field = source.element().fields.get(name);
                if (field == null) missing.add(source.subgraph().name);
                else present.add(new Source<>(source.subgraph(), field));
            }
            if (!missing.isEmpty()) {
                List<String> requiring = present.stream().filter(s -> s.element().type instanceof NonNullType
                        && s.element().defaultValue == null).map(s -> s.subgraph().name).toList();
                if (!requiring.isEmpty()) {
                    errors.add(new CompositionError("REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH", "Input object field \""
                            + coordinate + "\" is required in some subgraphs but does not appear in all subgraphs: it is required in "
                            + quoteList(requiring) + " but does not appear in " + quoteList(missing), concat(requiring, missing),
                            coordinate, present.get(0).element().line, "add " + name + " to input " + merged.name + " in "
                            + quoteList(missing) + ", or make it optional"));
                } else {
                    hints.add(new CompositionHint("INCONSISTENT_INPUT_OBJECT_FIELD", "Input object field \"" + coordinate
                            + "\" will not be added to \"" + merged.name + "\" in the supergraph as it does not appear in all subgraphs: it is defined in "
                            + quoteList(present.stream().map(s -> s.subgraph().name).toList()) + " but not in " + quoteList(missing)));
                }
                continue;
            }
            Type<?> type = mergeInputTypes("input field \"" + coordinate + "\"", present, f -> ((FieldModel) f).type,
                    f -> ((FieldModel) f).line, "FIELD_TYPE_MISMATCH");
            if (type == null) continue;
            MergedField field = new MergedField(name);
            field.type = SdlValues.type(type);
            field.description = mostCommon(present.stream().map(s -> s.element().description).toList());
            if (present.stream().anyMatch(s -> !SdlValues.type(s.element().type).equals(field.type))) {
                // the subgraphs disagree on nullability: the router must know each one's type to send it values
                for (Source<FieldModel> source : present) {
                    field.directives.add("@join__field(graph: " + enumValueOf.get(source.subgraph().name) + ", type: "
                            + SdlValues.quote(SdlValues.type(source.element().type)) + ")");
                }
                hints.add(new CompositionHint("INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE", "Type of field \"" + coordinate
                        + "\" is inconsistent but compatible across subgraphs: will use type \"" + field.type + "\" in supergraph"));
            }
            field.defaultValue = mergeDefault("INPUT_FIELD_DEFAULT_MISMATCH", coordinate, present.stream()
                    .map(s -> new Source<Value<?>>(s.subgraph(), s.element().defaultValue)).toList());
            if (present.stream().anyMatch(s -> s.element().inaccessible)) {
                usesInaccessible = true;
                field.directives.add("@inaccessible");
            }
            field.directives.addAll(passThrough(present.stream().flatMap(s -> s.element().passThrough.stream()).toList()));
            merged.fields.put(name, field);
        }
        if (merged.fields.isEmpty()) {
            errors.add(new CompositionError("EMPTY_MERGED_INPUT_TYPE", "None of the fields of input object type \"" + merged.name
                    + "\" are consistently defined in all the subgraphs defining that type. As only fields common to all subgraphs are merged, this would result in an empty type.",
                    typeSources.stream().map(s -> s.subgraph().name).toList(), merged.name, typeSources.get(0).element().line,
                    "give input " + merged.name + " the same fields in every subgraph that defines it"));
        }
    }

    // ---------------------------------------------------------------- enums

    private void mergeEnumValues(MergedType merged, List<Source<TypeModel>> typeSources) {
        String input = enumInputUse.get(merged.name);
        String output = enumOutputUse.get(merged.name);
        Set<String> names = new LinkedHashSet<>();
        typeSources.forEach(s -> names.addAll(s.element().values.keySet()));
        if (input == null && output == null) {
            hints.add(new CompositionHint("UNUSED_ENUM_TYPE", "Enum type \"" + merged.name + "\" is defined but unused. It will be"
                    + " included in the supergraph with all the values appearing in any subgraph (\"as if\" it was only used as an output type)."));
        }
        for (String name : names) {
            List<Source<EnumValueModel>> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Source<TypeModel> source : typeSources) {
                EnumValueModel value = source.element().values.get(name);
                if (value == null) missing.add(source.subgraph().name);
                else present.add(new Source<>(source.subgraph(), value));
            }
            boolean hidden = present.stream().allMatch(s -> s.element().inaccessible());
            if (!missing.isEmpty() && input != null && !(hidden && output != null)) {
                List<String> definers = present.stream().map(s -> s.subgraph().name).toList();
                if (output != null) {
                    errors.add(new CompositionError("ENUM_VALUE_MISMATCH", "Enum type \"" + merged.name + "\" is used as both input type (for example, as type of \""
                            + input + "\") and output type (for example, as type of \"" + output + "\"), but value \"" + name
                            + "\" is not defined in all the subgraphs defining \"" + merged.name + "\": \"" + name + "\" is defined in "
                            + quoteList(definers) + " but not in " + quoteList(missing), concat(definers, missing), merged.name + "." + name,
                            typeSources.get(0).element().line, "an enum used for both input and output needs the same values in every subgraph: add "
                            + name + " to " + quoteList(missing) + " or remove it everywhere"));
                } else {
                    hints.add(new CompositionHint("INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM", "Value \"" + name + "\" of enum type \""
                            + merged.name + "\" will not be part of the supergraph as it is not defined in all the subgraphs defining \""
                            + merged.name + "\": \"" + name + "\" is defined in " + quoteList(definers) + " but not in " + quoteList(missing)));
                }
                continue;
            }
            List<String> directives = new ArrayList<>();
            if (present.stream().anyMatch(s -> s.element().inaccessible())) {
                usesInaccessible = true;
                directives.add("@inaccessible");
            }
            for (Source<EnumValueModel> source : present) directives.add("@join__enumValue(graph: " + enumValueOf.get(source.subgraph().name) + ")");
            directives.addAll(passThrough(present.stream().flatMap(s -> s.element().passThrough().stream()).toList()));
            merged.values.put(name, new MergedValue(name, mostCommon(present.stream().map(s -> s.element().description()).toList()), directives));
        }
        if (merged.values.isEmpty()) {
            errors.add(new CompositionError("EMPTY_MERGED_ENUM_TYPE", "None of the values of enum type \"" + merged.name
                    + "\" are defined consistently in all the subgraphs defining that type. As only values common to all subgraphs are merged, this would result in an empty type.",
                    typeSources.stream().map(s -> s.subgraph().name).toList(), merged.name, typeSources.get(0).element().line,
                    "an enum used as input keeps only the values every subgraph defines: give " + merged.name + " common values"));
        }
    }

    // ---------------------------------------------------------------- directives

    /** Directives copied through (@tag, @deprecated, @authenticated...): once each, in a stable order. */
    private List<String> passThrough(List<Directive> directives) {
        List<String> texts = new ArrayList<>();
        Map<String, List<List<String>>> requirements = new LinkedHashMap<>();
        for (Directive directive : directives) {
            String argument = directive.getName().equals("requiresScopes") ? "scopes" : directive.getName().equals("policy") ? "policies" : null;
            if (argument != null && directive.getArgument(argument) != null
                    && directive.getArgument(argument).getValue() instanceof ArrayValue alternatives) {
                // every subgraph's requirement must hold: AND the alternatives (OR of ANDs) into one, as Apollo does
                List<List<String>> combined = requirements.computeIfAbsent(directive.getName(), n -> List.of(List.of()));
                List<List<String>> next = new ArrayList<>();
                for (List<String> left : combined) {
                    for (Value<?> alternative : alternatives.getValues()) {
                        LinkedHashSet<String> all = new LinkedHashSet<>(left);
                        if (alternative instanceof ArrayValue names) {
                            names.getValues().forEach(v -> { if (v instanceof StringValue sv) all.add(sv.getValue()); });
                        }
                        List<String> merged = List.copyOf(all);
                        if (!next.contains(merged)) next.add(merged);
                    }
                }
                requirements.put(directive.getName(), next);
                usedSpecDirectives.add(directive.getName());
                continue;
            }
            String text = SdlValues.directive(directive);
            if (!texts.contains(text)) texts.add(text);
            if (FederationDefinitions.SPEC_DIRECTIVES.contains(directive.getName())) usedSpecDirectives.add(directive.getName());
        }
        requirements.forEach((name, alternatives) -> texts.add("@" + name + "(" + (name.equals("policy") ? "policies" : "scopes")
                + ": " + alternatives.stream().map(a -> a.stream().map(SdlValues::quote).collect(Collectors.joining(", ", "[", "]")))
                .collect(Collectors.joining(", ", "[", "]")) + ")"));
        return texts;
    }

    /** Executable directives reach the supergraph only when every subgraph defines them (with the common locations). */
    private void mergeExecutableDirectives() {
        Map<String, List<DirectiveDefinition>> byName = new LinkedHashMap<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (DirectiveDefinition definition : subgraph.executableDirectives) {
                byName.computeIfAbsent(definition.getName(), n -> new ArrayList<>()).add(definition);
            }
        }
        for (Map.Entry<String, List<DirectiveDefinition>> entry : byName.entrySet()) {
            if (entry.getValue().size() != subgraphs.size()) {
                hints.add(new CompositionHint("INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE", "Executable directive \"@" + entry.getKey()
                        + "\" will not be part of the supergraph as it does not appear in all subgraphs."));
                continue;
            }
            Set<String> locations = null;
            for (DirectiveDefinition definition : entry.getValue()) {
                Set<String> own = definition.getDirectiveLocations().stream().map(l -> l.getName())
                        .filter(SubgraphReader::isExecutableLocation).collect(Collectors.toCollection(LinkedHashSet::new));
                if (locations == null) locations = own;
                else locations.retainAll(own);
            }
            if (locations == null || locations.isEmpty()) continue;
            Set<String> kept = locations;
            DirectiveDefinition first = entry.getValue().get(0);
            schema.directiveDefinitions.add(first.transform(b -> b.directiveLocations(kept.stream()
                    .map(l -> DirectiveLocation.newDirectiveLocation().name(l).build()).toList())));
        }
        // a composed directive's definition is the one of the highest version of its feature, the last subgraph by
        // name on a tie, as Apollo picks it
        Map<String, DirectiveDefinition> chosen = new LinkedHashMap<>();
        Map<String, Integer> chosenVersion = new HashMap<>();
        Map<String, SubgraphModel> chosenIn = new HashMap<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (DirectiveDefinition definition : subgraph.composedDirectives.values()) {
                String name = definition.getName();
                int version = featureVersion(subgraph, name);
                Integer best = chosenVersion.get(name);
                if (best == null || version >= best) {
                    chosen.put(name, definition);
                    chosenVersion.put(name, version);
                    chosenIn.put(name, subgraph);
                }
            }
        }
        chosen.forEach((name, composedDefinition) -> {
            if (schema.directiveDefinitions.stream().anyMatch(d -> d.getName().equals(name))) return;
            FeatureDefinition kept = featureDefinition(name, chosenIn.get(name), composedDefinition);
            DirectiveDefinition definition = kept.definition();
            schema.directiveDefinitions.add(definition);
            SubgraphModel subgraph = kept.subgraph();
            for (InputValueDefinition argument : definition.getInputValueDefinitions()) {
                if (argument.getDirectives().stream().noneMatch(d -> subgraph.links.isFederationDirective(d.getName(), "inaccessible"))) continue;
                // the API schema keeps a linked feature's definitions whole: a hidden argument would change its meaning
                errors.add(new CompositionError("DISALLOWED_INACCESSIBLE", "Core feature directive \"@" + name + "\" cannot use @inaccessible.",
                        List.of(subgraph.name), "@" + name + "(" + argument.getName() + ":)", argument.getSourceLocation() == null ? 0
                                : argument.getSourceLocation().getLine(), "remove @inaccessible from argument " + argument.getName()
                                + " of the composed directive @" + name + " in \"" + subgraph.name + "\" (a directive of a linked feature"
                                + " is composed whole)"));
                break;
            }
        });
    }

    /** A composed directive's definition as the supergraph keeps it, and the subgraph it comes from. */
    private record FeatureDefinition(SubgraphModel subgraph, DirectiveDefinition definition) {}

    /**
     * Where a composed directive's definition comes from: the composing subgraphs pick the feature's version, but the
     * definition is the one of the last subgraph (by name) that links that same version of the feature and defines
     * the directive, whether it composes it or not (Apollo's composeDirectiveManager searches them so). A definition
     * that another subgraph replaces never reaches the supergraph, so its @inaccessible arguments are no error.
     */
    private FeatureDefinition featureDefinition(String name, SubgraphModel composing, DirectiveDefinition composed) {
        FederationLinks.CustomLink link = composing.links.customLinks().stream()
                .filter(l -> l.importsByLocalName().containsKey(name)).findFirst().orElse(null);
        if (link == null) return new FeatureDefinition(composing, composed);
        String specName = link.importsByLocalName().get(name);
        String identity = featureIdentity(link.url());
        String version = featureVersionPart(link.url());
        for (int i = subgraphs.size() - 1; i >= 0; i--) {
            SubgraphModel subgraph = subgraphs.get(i);
            for (FederationLinks.CustomLink other : subgraph.links.customLinks()) {
                if (!identity.equals(featureIdentity(other.url())) || !version.equals(featureVersionPart(other.url()))) continue;
                String featureName = identity.substring(identity.lastIndexOf('/') + 1);
                String localName = other.importsByLocalName().entrySet().stream().filter(e -> e.getValue().equals(specName))
                        .map(Map.Entry::getKey).findFirst()
                        .orElse(specName.equals(featureName) ? featureName : featureName + "__" + specName);
                DirectiveDefinition found = subgraph.composedDirectives.containsKey(localName)
                        ? subgraph.composedDirectives.get(localName) : subgraph.otherDirectives.get(localName);
                if (found != null) {
                    return new FeatureDefinition(subgraph, found.getName().equals(name) ? found : found.transform(b -> b.name(name)));
                }
            }
        }
        return new FeatureDefinition(composing, composed);
    }

    /** A feature url without its version: https://host/path/name/v1.2 is https://host/path/name. */
    private static String featureIdentity(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return trimmed.substring(0, Math.max(0, trimmed.lastIndexOf('/')));
    }

    /** A feature url's version part: v1.2 of https://host/path/name/v1.2. */
    private static String featureVersionPart(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** The version of the linked feature that defines a composed directive, as major * 1000 + minor (0 when unknown). */
    private static int featureVersion(SubgraphModel subgraph, String directive) {
        for (FederationLinks.CustomLink link : subgraph.links.customLinks()) {
            if (!link.importsByLocalName().containsKey(directive)) continue;
            Matcher version = Pattern.compile("/v(\\d+)\\.(\\d+)/?$").matcher(link.url());
            if (version.find()) return Integer.parseInt(version.group(1)) * 1000 + Integer.parseInt(version.group(2));
        }
        return 0;
    }

    /** The custom specs whose directives @composeDirective keeps, linked with just those imports. */
    private List<MergedSchema.LinkedSpec> composedLinks() {
        Map<String, Set<String>> importsByUrl = new LinkedHashMap<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (String name : subgraph.composedDirectives.keySet()) {
                for (FederationLinks.CustomLink link : subgraph.links.customLinks()) {
                    if (link.importsByLocalName().containsKey(name)) {
                        importsByUrl.computeIfAbsent(link.url(), u -> new LinkedHashSet<>()).add("@" + name);
                    }
                }
            }
        }
        List<MergedSchema.LinkedSpec> links = new ArrayList<>();
        importsByUrl.forEach((url, imports) -> links.add(new MergedSchema.LinkedSpec("@link(url: " + SdlValues.quote(url)
                + ", import: " + imports.stream().map(SdlValues::quote).collect(Collectors.joining(", ", "[", "]")) + ")", List.of())));
        return links;
    }

    // ---------------------------------------------------------------- helpers

    /** The value most subgraphs agree on (the first of them on a tie); null when none has one. */
    private static String mostCommon(List<String> values) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String value : values) if (value != null && !value.isBlank()) counts.merge(value, 1, Integer::sum);
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }

    static String quoteList(List<String> names) {
        List<String> quoted = names.stream().map(n -> "\"" + n + "\"").toList();
        if (quoted.size() == 1) return (quoted.get(0));
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(x -> !all.contains(x)).forEach(all::add);
        return all;
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
