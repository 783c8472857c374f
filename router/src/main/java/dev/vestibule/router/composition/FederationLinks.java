package dev.vestibule.router.composition;

import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** The types of the federation spec with the minor version of 2.x that introduced each. */
    static final Map<String, Integer> TYPES = Map.of("FieldSet", 0, "Scope", 5, "Policy", 6, "ContextFieldValue", 8);

    private static boolean isVersion(String text) {
        if (text.length() < 4 || text.charAt(0) != 'v') return false;
        int dot = text.indexOf('.');
        if (dot < 2 || dot == text.length() - 1) return false;
        for (int i = 1; i < text.length(); i++) {
            if (i != dot && !Character.isDigit(text.charAt(i))) return false;
        }
        return true;
    }

    private static int line(Directive link) {
        return link.getSourceLocation() == null ? 0 : link.getSourceLocation().getLine();
    }

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
        Set<String> linked = new HashSet<>();
        List<Directive> links = schemaDirectives(document).stream().filter(l -> l.getName().equals("link")).toList();
        boolean federation2 = links.stream().anyMatch(l -> l.getArgument("url") != null && string(l.getArgument("url").getValue()) != null
                && string(l.getArgument("url").getValue()).startsWith(FEDERATION_SPEC));
        for (Directive link : links) {
            String url = string(link.getArgument("url") == null ? null : link.getArgument("url").getValue());
            if (url == null) {
                errors.add(error(subgraph, link, "@link needs a url argument", "write @link(url: \"https://specs.apollo.dev/federation/v2.9\", import: [...])"));
                continue;
            }
            // a feature url ends with its version: https://host/path/name/v1.2; one link per feature
            String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            int slash = trimmed.lastIndexOf('/');
            String versionPart = trimmed.substring(slash + 1);
            if (!isVersion(versionPart)) {
                errors.add(new CompositionError("INVALID_LINK_IDENTIFIER", "[" + subgraph + "] Expected a version string (of the form v1.2), got "
                        + versionPart, List.of(subgraph), null, line(link), "end the @link url with the feature's version, e.g. " + trimmed + "/v1.0"));
                continue;
            }
            String identity = trimmed.substring(0, slash);
            // federation 2 links the link spec v1.0 itself: linking another version of it links it twice
            boolean implicitLink = federation2 && identity.equals("https://specs.apollo.dev/link") && !versionPart.equals("v1.0");
            if (!linked.add(identity) || implicitLink) {
                errors.add(error(subgraph, link, "Cannot link feature \"" + identity + "\" since it has already been linked in the schema.",
                        "keep one @link to " + identity));
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
            errors.add(new CompositionError("UNKNOWN_FEDERATION_LINK_VERSION", "[" + subgraph + "] Invalid version in @link(url: \"" + url
                    + "\"): this composer knows federation v2.0 to v2." + LATEST_MINOR, List.of(subgraph), null, line(federationLink),
                    "link a known version, e.g. \"" + FEDERATION_SPEC + "v2.9\""));
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
            if (item instanceof ObjectValue object) {
                ObjectField unknown = object.getObjectFields().stream().filter(f -> !f.getName().equals("name") && !f.getName().equals("as"))
                        .findFirst().orElse(null);
                if (unknown != null) {
                    errors.add(error(subgraph, link, "Unknown field \"" + unknown.getName() + "\" for sub-value " + SdlValues.value(object)
                            + " of @link(import:) argument.", "an import is \"@name\" or { name: \"@name\", as: \"@other\" }"));
                    continue;
                }
            }
            if (name == null) {
                errors.add(error(subgraph, link, "Invalid import in @link: " + AstPrinter.printAst(item),
                        "an import is \"@name\" or { name: \"@name\", as: \"@other\" }"));
                continue;
            }
            if (!name.startsWith("@")) {
                // imported types (FieldSet, Scope...) need no mapping, but must be types of the spec's version
                Integer since = TYPES.get(name);
                if (federationMinor != null && federationMinor >= 0 && (since == null || since > federationMinor)) {
                    errors.add(error(subgraph, link, "Cannot import unknown element \"" + name + "\"."
                            + (DIRECTIVES.containsKey(name) ? " Did you mean directive \"@" + name + "\"?" : since == null ? ""
                            : " It was added in federation v2." + since + "."),
                            DIRECTIVES.containsKey(name) ? "write \"@" + name + "\"" : since == null ? "remove it from the import list"
                                    : "link federation v2." + since + " or later"));
                }
                continue;
            }
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
