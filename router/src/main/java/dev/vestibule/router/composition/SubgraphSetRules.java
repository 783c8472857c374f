package dev.vestibule.router.composition;

import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules about the subgraphs taken together that no single subgraph breaks and merging does not see: an extension
 * with no definition anywhere, spec directives imported under different names, composed features whose major versions
 * differ, an @interfaceObject with no interface behind it. Each rule is one pass over the subgraphs' types.
 */
final class SubgraphSetRules {
    private static final Set<String> ROOTS = Set.of("Query", "Mutation", "Subscription");
    /** The spec directives composition merges into the supergraph, whose local names must agree. */
    private static final List<String> MERGED_SPEC_DIRECTIVES = List.of("tag", "inaccessible", "authenticated", "requiresScopes",
            "policy", "cost", "listSize");
    private static final Pattern MAJOR_VERSION = Pattern.compile("^(.*)/v(\\d+)\\.(\\d+)/?$");

    private SubgraphSetRules() {}

    static void check(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        checkExtensionsHaveBase(subgraphs, errors);
        checkImportNames(subgraphs, errors);
        checkComposedFeatureVersions(subgraphs, errors);
        checkInterfaceObjectsHaveInterface(subgraphs, errors);
    }

    /**
     * An extension needs a definition somewhere. Federation 1 (where @extends also marks an extension) needs it in
     * another subgraph; otherwise some subgraph must define the type (type X, or type X @extends in Federation 2).
     */
    private static void checkExtensionsHaveBase(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        Map<String, List<SubgraphModel>> definedIn = new LinkedHashMap<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                if (type.hasDefinition) definedIn.computeIfAbsent(type.name, n -> new ArrayList<>()).add(subgraph);
            }
        }
        Set<String> reported = new HashSet<>();
        for (SubgraphModel subgraph : subgraphs) {
            if (subgraph.links.federation2()) continue;
            for (TypeModel type : subgraph.types.values()) {
                if (ROOTS.contains(type.name) || type.kind != Kind.OBJECT && type.kind != Kind.INTERFACE) continue;
                boolean extension = type.extendsDirective || type.hasExtensionDefinition && !type.hasDefinition;
                if (!extension) continue;
                boolean baseElsewhere = definedIn.getOrDefault(type.name, List.of()).stream().anyMatch(s -> s != subgraph);
                if (!baseElsewhere) {
                    reported.add(type.name);
                    errors.add(noBase(subgraph, type));
                }
            }
        }
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                if (ROOTS.contains(type.name) || !type.hasExtensionDefinition || type.hasDefinition || definedIn.containsKey(type.name)
                        || reported.contains(type.name)) continue;
                errors.add(noBase(subgraph, type));
            }
        }
    }

    private static CompositionError noBase(SubgraphModel subgraph, TypeModel type) {
        return new CompositionError("EXTENSION_WITH_NO_BASE", "[" + subgraph.name + "] Type \"" + type.name
                + "\" is an extension type, but there is no type definition for \"" + type.name + "\" in any subgraph.",
                List.of(subgraph.name), type.name, type.line, "define " + type.name + " (without extend) in the subgraph that owns it,"
                + " or write \"type " + type.name + "\" instead of \"extend type " + type.name + "\" here");
    }

    /** A merged spec directive must have one name in the supergraph, so every subgraph applying it must call it the same. */
    private static void checkImportNames(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        for (String spec : MERGED_SPEC_DIRECTIVES) {
            Map<String, List<String>> subgraphsByName = new LinkedHashMap<>();
            for (SubgraphModel subgraph : subgraphs) {
                String local = subgraph.appliedSpecNames.get(spec);
                if (local != null) subgraphsByName.computeIfAbsent(local, n -> new ArrayList<>()).add(subgraph.name);
            }
            if (subgraphsByName.size() < 2) continue;
            List<String> parts = new ArrayList<>();
            List<String> involved = new ArrayList<>();
            subgraphsByName.forEach((local, names) -> {
                parts.add("\"@" + local + "\" in " + (names.size() == 1 ? "subgraph " : "subgraphs ") + SupergraphMerger.quoteList(names));
                involved.addAll(names);
            });
            errors.add(new CompositionError("LINK_IMPORT_NAME_MISMATCH", "The \"@" + spec + "\" directive (from " + FederationLinks.FEDERATION_SPEC
                    + ") is imported with mismatched name between subgraphs: it is imported as " + String.join(" but ", parts),
                    involved, null, 0, "import @" + spec + " under the same name in every subgraph (drop the as: renaming, or use the same one)"));
        }
    }

    /** Directives kept by @composeDirective come from one feature: its major version must agree across subgraphs. */
    private static void checkComposedFeatureVersions(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        Map<String, Map<String, List<String>>> majorsByFeature = new LinkedHashMap<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (FederationLinks.CustomLink link : subgraph.links.customLinks()) {
                boolean composed = link.importsByLocalName().keySet().stream().anyMatch(subgraph.composedDirectives::containsKey);
                Matcher version = MAJOR_VERSION.matcher(link.url());
                if (!composed || !version.matches()) continue;
                majorsByFeature.computeIfAbsent(version.group(1), f -> new LinkedHashMap<>())
                        .computeIfAbsent(version.group(2), m -> new ArrayList<>()).add(subgraph.name);
            }
        }
        majorsByFeature.forEach((feature, majors) -> {
            if (majors.size() < 2) return;
            List<String> involved = majors.values().stream().flatMap(List::stream).toList();
            errors.add(new CompositionError("DIRECTIVE_COMPOSITION_ERROR", "Core feature \"" + feature
                    + "\" requested to be merged has major version mismatch across subgraphs", involved, null, 0,
                    "link the same major version of " + feature + " in every subgraph: " + String.join("; ", majors.entrySet().stream()
                            .map(e -> "v" + e.getKey() + ".x in " + SupergraphMerger.quoteList(e.getValue())).toList())));
        });
    }

    /** @interfaceObject stands for an interface that some subgraph defines; alone it stands for nothing. */
    private static void checkInterfaceObjectsHaveInterface(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        Map<String, List<String>> objectsIn = new LinkedHashMap<>();
        Set<String> interfaces = new HashSet<>();
        for (SubgraphModel subgraph : subgraphs) {
            for (TypeModel type : subgraph.types.values()) {
                if (type.interfaceObject) objectsIn.computeIfAbsent(type.name, n -> new ArrayList<>()).add(subgraph.name);
                if (type.kind == Kind.INTERFACE) interfaces.add(type.name);
            }
        }
        objectsIn.forEach((name, where) -> {
            if (interfaces.contains(name)) return;
            errors.add(new CompositionError("INTERFACE_OBJECT_USAGE_ERROR", "Type \"" + name + "\" is declared with @interfaceObject in all the"
                    + " subgraphs in which it is defined (it is defined in " + (where.size() == 1 ? "subgraph " : "subgraphs ")
                    + SupergraphMerger.quoteList(where) + " but should be defined as an interface in at least one subgraph)", where, name, 0,
                    "define interface " + name + " (with its @key and implementations) in the subgraph that owns it"));
        });
    }
}
