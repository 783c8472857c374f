package dev.vestibule.router.composition;

import dev.vestibule.router.composition.SubgraphModel.Kind;
import graphql.language.DirectiveDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The supergraph before printing: every type with its merged fields and the join facts that say which subgraph
 * serves what. Directives are kept as their SDL text; the printer only orders and lays them out.
 */
final class MergedSchema {
    record Graph(String enumValue, String name, String url) {}

    /** A spec linked from the supergraph's schema definition, with the directive and type definitions it brings. */
    record LinkedSpec(String link, List<String> definitions) {}

    final List<Graph> graphs = new ArrayList<>();
    final Map<String, MergedType> types = new LinkedHashMap<>();
    final List<LinkedSpec> specs = new ArrayList<>();
    final List<DirectiveDefinition> directiveDefinitions = new ArrayList<>();
    int joinMinor;
    Set<String> roots = Set.of();

    static final class MergedType {
        final String name;
        final Kind kind;
        String description;
        final List<String> interfaces = new ArrayList<>();
        final List<String> members = new ArrayList<>();
        /** join__implements, join__type, join__unionMember, then the type's own directives. */
        final List<String> directives = new ArrayList<>();
        final Map<String, MergedField> fields = new LinkedHashMap<>();
        final Map<String, MergedValue> values = new LinkedHashMap<>();

        MergedType(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    static final class MergedField {
        final String name;
        String type;
        String description;
        String defaultValue;
        final List<MergedArgument> arguments = new ArrayList<>();
        final List<String> directives = new ArrayList<>();

        MergedField(String name) {
            this.name = name;
        }
    }

    record MergedArgument(String name, String type, String defaultValue, String description, List<String> directives) {}

    record MergedValue(String name, String description, List<String> directives) {}
}
