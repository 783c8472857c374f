package dev.vestibule.router.composition;

import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Type;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subgraph's schema as composition sees it: its types with the federation facts read off their directives
 * (keys, external, requires, provides, shareable, override, interfaceObject), in the subgraph's own order. Names are
 * already normalized: root types are Query/Mutation/Subscription, and directives are known by their spec names.
 */
final class SubgraphModel {
    final String name;
    final String url;
    final FederationLinks links;
    final Map<String, TypeModel> types = new LinkedHashMap<>();
    final List<DirectiveDefinition> executableDirectives = new ArrayList<>();
    /** Directive definitions named by @composeDirective, by their name in the supergraph. */
    final Map<String, DirectiveDefinition> composedDirectives = new LinkedHashMap<>();
    /** Every other directive definition that is not a federation one, by its local name: a composed directive's
     *  definition may come from a subgraph that links its feature without composing it (as Apollo picks it). */
    final Map<String, DirectiveDefinition> otherDirectives = new LinkedHashMap<>();
    /** Federation spec directives this subgraph applies (tag, authenticated...), by spec name, with the local name used. */
    final Map<String, String> appliedSpecNames = new LinkedHashMap<>();

    SubgraphModel(String name, String url, FederationLinks links) {
        this.name = name;
        this.url = url;
        this.links = links;
    }

    enum Kind {
        OBJECT("type"), INTERFACE("interface"), UNION("union"), ENUM("enum"), INPUT_OBJECT("input"), SCALAR("scalar");

        final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }
    }

    /** A @key; {@code explicit}: the subgraph wrote resolvable: itself (Apollo then repeats it in the supergraph). */
    record Key(String fields, boolean resolvable, boolean explicit, int line) {}

    static final class TypeModel {
        final String name;
        final Kind kind;
        final int line;
        String description;
        /** Federation 2: the subgraph only extends this type (extend type ... or @extends). */
        boolean extension;
        boolean hasDefinition;
        /** Some of it is written as an extension (extend type/interface/union/enum/input). */
        boolean hasExtensionDefinition;
        /** Carries @extends (Federation 1 wrote entity extensions this way). */
        boolean extendsDirective;
        boolean interfaceObject;
        boolean shareable;
        boolean inaccessible;
        final List<Key> keys = new ArrayList<>();
        /** Names given by @context on this type, as written in the subgraph. */
        final List<String> contexts = new ArrayList<>();
        /** Directives copied to the supergraph as they are (@tag, @deprecated, @authenticated, composed ones...). */
        final List<Directive> passThrough = new ArrayList<>();
        final Map<String, FieldModel> fields = new LinkedHashMap<>();
        final Set<String> interfaces = new LinkedHashSet<>();
        final Set<String> members = new LinkedHashSet<>();
        final Map<String, EnumValueModel> values = new LinkedHashMap<>();

        TypeModel(String name, Kind kind, int line) {
            this.name = name;
            this.kind = kind;
            this.line = line;
        }

        boolean isEntity() {
            return !keys.isEmpty();
        }
    }

    static final class FieldModel {
        final String name;
        final Type<?> type;
        final int line;
        final String description;
        final Value<?> defaultValue;
        final Map<String, ArgumentModel> arguments = new LinkedHashMap<>();
        boolean external;
        boolean shareable;
        boolean inaccessible;
        String requires;
        String provides;
        String overrideFrom;
        String overrideLabel;
        /** Used by a key, @requires or @provides of this subgraph (an @external field must be). */
        boolean usedInFieldSet;
        /** Part of a @key of its type in this subgraph: key fields are shareable without saying so. */
        boolean inKey;
        /** Named by a @provides of this subgraph: resolvable here on the provided path. */
        boolean provided;
        final List<Directive> passThrough = new ArrayList<>();

        FieldModel(String name, Type<?> type, int line, String description, Value<?> defaultValue) {
            this.name = name;
            this.type = type;
            this.line = line;
            this.description = description;
            this.defaultValue = defaultValue;
        }
    }

    /** An argument; {@code fromContext} is the field value of its @fromContext ("$ctx { field }"), if any. */
    record ArgumentModel(String name, Type<?> type, Value<?> defaultValue, String description, boolean inaccessible,
                         List<Directive> passThrough, int line, String fromContext) {}

    record EnumValueModel(String name, String description, boolean inaccessible, List<Directive> passThrough) {}
}
