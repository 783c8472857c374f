package dev.vestibule.router.composition;

import graphql.language.ArrayValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which federation version a subgraph speaks and what it calls each federation directive. A Federation 2 subgraph
 * links {@code https://specs.apollo.dev/federation/v2.x}: imported directives keep their (possibly renamed) name, the
 * others are reachable as {@code federation__name} (or under the link's {@code as:} prefix). A subgraph without
 * that link is a Federation 1 subgraph, where the directives have their plain names.
 */
record FederationLinks(int minorVersion, boolean federation2, Map<String, String> specNameByLocalName,
                       List<CustomLink> customLinks, List<CompositionError> errors) {

    static final String FEDERATION_SPEC = "https://specs.apollo.dev/federation/";
    static final int LATEST_MINOR = 12;
    private static final Pattern VERSION = Pattern.compile("/v(\\d+)\\.(\\d+)/?$");

    /** The directives of the federation spec with the minor version of 2.x that introduced each. */
    static final Map<String, Integer> DIRECTIVES = Map.ofEntries(
            Map.entry("key", 0), Map.entry("requires", 0), Map.entry("provides", 0), Map.entry("external", 0),
            Map.entry("shareable", 0), Map.entry("extends", 0), Map.entry("override", 0), Map.entry("tag", 0),
            Map.entry("inaccessible", 0), Map.entry("composeDirective", 1), Map.entry("interfaceObject", 3),
            Map.entry("authenticated", 5), Map.entry("requiresScopes", 5), Map.entry("policy", 6),
            Map.entry("context", 8), Map.entry("fromContext", 8), Map.entry("cost", 9), Map.entry("listSize", 9));

    /** Federation 1 knew these directives, always under their plain names. */
    private static final List<String> FEDERATION_1 = List.of("key", "requires", "provides", "external", "extends",
            "tag", "inaccessible");

    /** A link to a spec other than federation and link: its imports may name directives kept by @composeDirective. */
    record CustomLink(String url, Map<String, String> importsByLocalName) {}

    /** The federation directive a local directive name stands for, if any. */
    Optional<String> specName(String localName) {
        return Optional.ofNullable(specNameByLocalName.get(localName));
    }

    boolean isFederationDirective(String localName, String specName) {
        return specName.equals(specNameByLocalName.get(localName));
    }

    static FederationLinks read(Document document, String subgraph) {
        List<CompositionError> errors = new ArrayList<>();
        List<CustomLink> custom = new ArrayList<>();
        Directive federationLink = null;
        String linkLocalName = "link";
        for (Directive link : schemaDirectives(document)) {
            if (!link.getName().equals("link")) continue;
            String url = string(link.getArgument("url") == null ? null : link.getArgument("url").getValue());
            if (url == null) {
                errors.add(error(subgraph, link, "@link needs a url argument", "write @link(url: \"https://specs.apollo.dev/federation/v2.9\", import: [...])"));
                continue;
            }
            if (url.startsWith(FEDERATION_SPEC)) {
                federationLink = link;
            } else if (!url.startsWith("https://specs.apollo.dev/link/")) {
                custom.add(new CustomLink(url, imports(link, errors, subgraph, null)));
            }
        }
        if (federationLink == null) {
            Map<String, String> names = new LinkedHashMap<>();
            FEDERATION_1.forEach(n -> names.put(n, n));
            return new FederationLinks(-1, false, names, List.copyOf(custom), errors);
        }
        String url = string(federationLink.getArgument("url").getValue());
        Matcher version = VERSION.matcher(url);
        int minor = -1;
        if (!version.find() || !version.group(1).equals("2") || Integer.parseInt(version.group(2)) > LATEST_MINOR) {
            errors.add(error(subgraph, federationLink, "Invalid version in @link(url: \"" + url + "\"): this composer knows"
                    + " federation v2.0 to v2." + LATEST_MINOR, "link a known version, e.g. \"" + FEDERATION_SPEC + "v2.9\""));
        } else {
            minor = Integer.parseInt(version.group(2));
        }
        String prefix = "federation";
        if (federationLink.getArgument("as") != null) prefix = string(federationLink.getArgument("as").getValue());
        Map<String, String> imported = imports(federationLink, errors, subgraph, minor);
        Map<String, String> names = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> directive : DIRECTIVES.entrySet()) {
            if (minor >= 0 && directive.getValue() > minor) continue;
            names.put(prefix + "__" + directive.getKey(), directive.getKey());
        }
        names.putAll(imported);
        return new FederationLinks(minor, true, names, List.copyOf(custom), errors);
    }

    /** The imports of a @link: local name (without @) to the name in the spec. */
    private static Map<String, String> imports(Directive link, List<CompositionError> errors, String subgraph, Integer federationMinor) {
        Map<String, String> imports = new LinkedHashMap<>();
        if (link.getArgument("import") == null) return imports;
        Value<?> value = link.getArgument("import").getValue();
        List<Value> items = value instanceof ArrayValue array ? array.getValues() : List.of(value);
        for (Value<?> item : items) {
            String name = null;
            String as = null;
            if (item instanceof StringValue s) {
                name = s.getValue();
            } else if (item instanceof ObjectValue object) {
                for (ObjectField field : object.getObjectFields()) {
                    if (field.getName().equals("name")) name = string(field.getValue());
                    if (field.getName().equals("as")) as = string(field.getValue());
                }
            }
            if (name == null) {
                errors.add(error(subgraph, link, "Invalid import in @link: " + graphql.language.AstPrinter.printAst(item),
                        "an import is \"@name\" or { name: \"@name\", as: \"@other\" }"));
                continue;
            }
            if (!name.startsWith("@")) continue; // imported types (FieldSet, Scope...) need no mapping
            if (as != null && !as.startsWith("@")) {
                errors.add(error(subgraph, link, "Invalid @link import renaming: directive \"" + name + "\" imported name should start with a '@' character, but got \"" + as + "\".", "write as: \"@" + as + "\""));
                continue;
            }
            String specName = name.substring(1);
            if (federationMinor != null && federationMinor >= 0) {
                Integer since = DIRECTIVES.get(specName);
                if (since == null || since > federationMinor) {
                    errors.add(error(subgraph, link, "Cannot import unknown element \"" + name + "\"."
                            + (since == null ? "" : " It was added in federation v2." + since + "."),
                            since == null ? "remove it from the import list" : "link federation v2." + since + " or later"));
                    continue;
                }
            }
            imports.put(as == null ? specName : as.substring(1), specName);
        }
        return imports;
    }

    private static List<Directive> schemaDirectives(Document document) {
        List<Directive> directives = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof SchemaDefinition schema) directives.addAll(schema.getDirectives());
        }
        return directives;
    }

    private static String string(Value<?> value) {
        return value instanceof StringValue s ? s.getValue() : null;
    }

    private static CompositionError error(String subgraph, Directive link, String message, String hint) {
        int line = link.getSourceLocation() == null ? 0 : link.getSourceLocation().getLine();
        return new CompositionError("INVALID_LINK_DIRECTIVE_USAGE", "[" + subgraph + "] " + message, List.of(subgraph),
                null, line, hint);
    }
}
