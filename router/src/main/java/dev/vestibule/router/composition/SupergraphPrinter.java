package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.Graph;
import dev.vestibule.router.composition.MergedSchema.LinkedSpec;
import dev.vestibule.router.composition.MergedSchema.MergedArgument;
import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.MergedSchema.MergedValue;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import graphql.language.DirectiveDefinition;
import graphql.language.InputValueDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes a {@link MergedSchema} as supergraph SDL in Apollo's layout: the schema definition with its links, directive
 * definitions sorted by name, then every type sorted by name (case-insensitively), type directives one per line.
 * The same merged schema always prints to the same bytes.
 */
final class SupergraphPrinter {
    private static final List<String> FIELD_DIRECTIVE_ORDER = List.of("@inaccessible", "@join__field", "@authenticated",
            "@requiresScopes", "@policy", "@cost", "@listSize", "@deprecated", "@tag");

    private SupergraphPrinter() {}

    static String print(MergedSchema schema) {
        StringBuilder out = new StringBuilder("schema\n");
        for (LinkedSpec spec : schema.specs) out.append("  ").append(spec.link()).append('\n');
        out.append("{\n");
        for (String root : schema.roots) {
            out.append("  ").append(Character.toLowerCase(root.charAt(0))).append(root.substring(1)).append(": ").append(root).append('\n');
        }
        out.append("}\n");

        Map<String, String> directives = new TreeMap<>();
        Map<String, String> types = new TreeMap<>(Comparator.comparing((String s) -> s.toLowerCase(Locale.ROOT))
                .thenComparing(Comparator.naturalOrder()));
        for (LinkedSpec spec : schema.specs) {
            for (String definition : spec.definitions()) {
                if (definition.startsWith("directive @")) directives.put(definition.substring(11).split("[ (]", 2)[0], definition);
                else types.put(definition.split(" ", 3)[1], definition);
            }
        }
        for (DirectiveDefinition definition : schema.directiveDefinitions) directives.put(definition.getName(), directive(definition));
        types.put("join__Graph", graphEnum(schema.graphs));
        for (MergedType type : schema.types.values()) types.put(type.name, type(type));
        directives.values().forEach(d -> out.append('\n').append(d).append('\n'));
        types.values().forEach(t -> out.append('\n').append(t).append('\n'));
        return out.toString();
    }

    private static String graphEnum(List<Graph> graphs) {
        StringBuilder out = new StringBuilder("enum join__Graph {\n");
        for (Graph graph : graphs) {
            out.append("  ").append(graph.enumValue()).append(" @join__graph(name: ").append(SdlValues.quote(graph.name()))
                    .append(", url: ").append(SdlValues.quote(graph.url())).append(")\n");
        }
        return out.append('}').toString();
    }

    private static String type(MergedType type) {
        StringBuilder out = new StringBuilder();
        if (type.description != null) out.append(description(type.description, "", true));
        out.append(type.kind.keyword).append(' ').append(type.name);
        if (!type.interfaces.isEmpty()) out.append(" implements ").append(String.join(" & ", type.interfaces));
        for (String directive : type.directives) out.append("\n  ").append(directive);
        switch (type.kind) {
            case UNION -> {
                if (!type.members.isEmpty()) out.append("\n = ").append(String.join(" | ", type.members));
            }
            case SCALAR -> { }
            case ENUM -> {
                out.append(type.directives.isEmpty() ? " {\n" : "\n{\n");
                boolean first = true;
                for (MergedValue value : type.values.values()) {
                    if (value.description() != null) out.append(description(value.description(), "  ", first));
                    out.append("  ").append(value.name());
                    value.directives().forEach(d -> out.append(' ').append(d));
                    out.append('\n');
                    first = false;
                }
                out.append('}');
            }
            default -> {
                out.append(type.directives.isEmpty() ? " {\n" : "\n{\n");
                boolean first = true;
                for (MergedField field : type.fields.values()) {
                    if (field.description != null) out.append(description(field.description, "  ", first));
                    out.append("  ").append(field.name).append(arguments(field.arguments, "  ")).append(": ").append(field.type);
                    if (field.defaultValue != null) out.append(" = ").append(field.defaultValue);
                    orderedFieldDirectives(field.directives).forEach(d -> out.append(' ').append(d));
                    out.append('\n');
                    first = false;
                }
                out.append('}');
            }
        }
        return out.toString();
    }

    private static List<String> orderedFieldDirectives(List<String> directives) {
        List<String> ordered = new ArrayList<>(directives);
        ordered.sort(Comparator.comparingInt(SupergraphPrinter::rank));
        return ordered;
    }

    private static int rank(String directive) {
        String name = directive.split("[ (]", 2)[0];
        int index = FIELD_DIRECTIVE_ORDER.indexOf(name);
        return index < 0 ? FIELD_DIRECTIVE_ORDER.size() - 1 : index;
    }

    private static String arguments(List<MergedArgument> arguments, String indentation) {
        if (arguments.isEmpty()) return "";
        if (arguments.stream().noneMatch(a -> a.description() != null)) {
            return arguments.stream().map(SupergraphPrinter::argument).collect(Collectors.joining(", ", "(", ")"));
        }
        StringBuilder out = new StringBuilder("(\n");
        boolean first = true;
        for (MergedArgument argument : arguments) {
            if (argument.description() != null) out.append(description(argument.description(), indentation + "  ", first));
            out.append(indentation).append("  ").append(argument(argument)).append('\n');
            first = false;
        }
        return out.append(indentation).append(')').toString();
    }

    private static String argument(MergedArgument argument) {
        StringBuilder out = new StringBuilder(argument.name()).append(": ").append(argument.type());
        if (argument.defaultValue() != null) out.append(" = ").append(argument.defaultValue());
        argument.directives().forEach(d -> out.append(' ').append(d));
        return out.toString();
    }

    private static String directive(DirectiveDefinition definition) {
        StringBuilder out = new StringBuilder();
        if (definition.getDescription() != null) out.append(description(definition.getDescription().getContent(), "", true));
        out.append("directive @").append(definition.getName());
        List<InputValueDefinition> arguments = definition.getInputValueDefinitions();
        if (!arguments.isEmpty()) {
            out.append(arguments.stream().map(a -> a.getName() + ": " + SdlValues.type(a.getType())
                    + (a.getDefaultValue() == null ? "" : " = " + SdlValues.value(a.getDefaultValue())))
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        if (definition.isRepeatable()) out.append(" repeatable");
        out.append(" on ").append(definition.getDirectiveLocations().stream().map(l -> l.getName()).collect(Collectors.joining(" | ")));
        return out.toString();
    }

    /** graphql-js's printDescription and printBlockString: block strings, multi-line past 70 characters. */
    static String description(String text, String indentation, boolean firstInBlock) {
        String escaped = text.replace("\"\"\"", "\\\"\"\"");
        String[] lines = escaped.split("\r\n|[\n\r]", -1);
        boolean singleLine = lines.length == 1;
        boolean forceLeadingNewLine = lines.length > 1;
        for (int i = 1; i < lines.length && forceLeadingNewLine; i++) {
            forceLeadingNewLine = lines[i].isEmpty() || lines[i].charAt(0) == ' ' || lines[i].charAt(0) == '\t';
        }
        boolean trailingTripleQuotes = escaped.endsWith("\\\"\"\"");
        boolean trailingQuote = text.endsWith("\"") && !trailingTripleQuotes;
        boolean trailingSlash = text.endsWith("\\");
        boolean forceTrailingNewline = trailingQuote || trailingSlash;
        boolean multipleLines = !singleLine || text.length() > 70 || forceTrailingNewline || forceLeadingNewLine || trailingTripleQuotes;
        boolean skipLeadingNewLine = singleLine && !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
        StringBuilder block = new StringBuilder("\"\"\"");
        if ((multipleLines && !skipLeadingNewLine) || forceLeadingNewLine) block.append('\n');
        block.append(escaped);
        if (multipleLines || forceTrailingNewline) block.append('\n');
        block.append("\"\"\"");
        String prefix = !indentation.isEmpty() && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + block.toString().replace("\n", "\n" + indentation) + "\n";
    }

    static boolean isKind(MergedType type, Kind kind) {
        return type.kind == kind;
    }
}
