package dev.vestibule.router.composition;

import graphql.language.Definition;
import graphql.language.DescribedNode;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Compares two supergraphs for meaning, not bytes: the same links, directive definitions, types, fields, arguments,
 * enum values, descriptions (whitespace aside) and applied directives ({@code join__*} facts included), in any order.
 * Used to hold Vestibule's composition to Apollo's.
 */
public final class SupergraphEquivalence {
    private SupergraphEquivalence() {}

    /** The differences, one readable line each; empty when the supergraphs are equivalent. */
    public static List<String> differences(String expected, String actual) {
        Map<String, String> left = canonical(expected);
        Map<String, String> right = canonical(actual);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> entry : left.entrySet()) {
            String other = right.get(entry.getKey());
            if (other == null) differences.add("missing " + entry.getKey() + ": " + entry.getValue());
            else if (!other.equals(entry.getValue())) differences.add("differs " + entry.getKey() + ": expected " + entry.getValue() + " but got " + other);
        }
        for (Map.Entry<String, String> entry : right.entrySet()) {
            if (!left.containsKey(entry.getKey())) differences.add("unexpected " + entry.getKey() + ": " + entry.getValue());
        }
        return differences;
    }

    /** Every element of the supergraph under a stable key, with a canonical text of what it says. */
    static Map<String, String> canonical(String sdl) {
        Document document = Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                .parserOptions(ParserOptions.getDefaultSdlParserOptions().transform(o -> o.maxTokens(Integer.MAX_VALUE)
                        .maxWhitespaceTokens(Integer.MAX_VALUE).maxCharacters(Integer.MAX_VALUE)))
                .build());
        Map<String, String> out = new TreeMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case SchemaDefinition schema -> {
                    out.put("schema", schema.getOperationTypeDefinitions().stream()
                            .map(o -> o.getName() + ":" + o.getTypeName().getName()).sorted().collect(Collectors.joining(" ")));
                    for (Directive directive : schema.getDirectives()) out.put("schema " + directive(directive), "");
                }
                case DirectiveDefinition directive -> out.put("directive @" + directive.getName(),
                        arguments(directive.getInputValueDefinitions()) + (directive.isRepeatable() ? " repeatable" : "") + " on "
                                + directive.getDirectiveLocations().stream().map(l -> l.getName()).sorted().collect(Collectors.joining("|")));
                case TypeDefinition<?> type -> addType(type, out);
                default -> out.put("other " + definition, "");
            }
        }
        return out;
    }

    private static void addType(TypeDefinition<?> type, Map<String, String> out) {
        String name = type.getName();
        StringBuilder head = new StringBuilder(type.getClass().getSimpleName().replace("TypeDefinition", "").toLowerCase());
        head.append(description(((DescribedNode<?>) type).getDescription()));
        head.append(" directives ").append(directives(type.getDirectives()));
        if (type instanceof ImplementingTypeDefinition<?> implementing) {
            head.append(" implements ").append(implementing.getImplements().stream().map(t -> ((TypeName) t).getName())
                    .sorted().toList().toString());
            for (FieldDefinition field : implementing.getFieldDefinitions()) {
                out.put("field " + name + "." + field.getName(), SdlValues.type(field.getType())
                        + arguments(field.getInputValueDefinitions()) + description(field.getDescription())
                        + " " + directives(field.getDirectives()));
            }
        }
        if (type instanceof UnionTypeDefinition union) {
            head.append(" = ").append(union.getMemberTypes().stream().map(t -> ((TypeName) t).getName())
                    .sorted().toList().toString());
        }
        if (type instanceof EnumTypeDefinition enumType) {
            for (EnumValueDefinition value : enumType.getEnumValueDefinitions()) {
                out.put("value " + name + "." + value.getName(), description(value.getDescription()) + " " + directives(value.getDirectives()));
            }
        }
        if (type instanceof InputObjectTypeDefinition input) {
            for (InputValueDefinition field : input.getInputValueDefinitions()) {
                out.put("input field " + name + "." + field.getName(), inputValue(field));
            }
        }
        out.put("type " + name, head.toString());
    }

    private static String arguments(List<InputValueDefinition> arguments) {
        if (arguments.isEmpty()) return "";
        return arguments.stream().map(SupergraphEquivalence::inputValue).sorted().collect(Collectors.joining(", ", "(", ")"));
    }

    private static String inputValue(InputValueDefinition value) {
        return value.getName() + ": " + SdlValues.type(value.getType())
                + (value.getDefaultValue() == null ? "" : " = " + SdlValues.value(value.getDefaultValue()))
                + description(value.getDescription()) + " " + directives(value.getDirectives());
    }

    private static String directives(List<Directive> directives) {
        return directives.stream().map(SupergraphEquivalence::directive).sorted().collect(Collectors.joining(" "));
    }

    private static String directive(Directive directive) {
        return "@" + directive.getName() + directive.getArguments().stream()
                .map(a -> a.getName() + ": " + normalizeSpaces(SdlValues.value(a.getValue())))
                .sorted().collect(Collectors.joining(", ", "(", ")"));
    }

    private static String description(Description description) {
        if (description == null || description.getContent().isBlank()) return "";
        return " \"" + normalizeSpaces(description.getContent()) + "\"";
    }

    private static String normalizeSpaces(String text) {
        return Objects.requireNonNull(text).trim().replaceAll("\\s+", " ");
    }
}
