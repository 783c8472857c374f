package dev.vestibule.router.composition;

import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableReference;
import java.util.stream.Collectors;

/** Prints types, values and directives in the layout graphql-js uses, so supergraphs read like Apollo's. */
final class SdlValues {
    private SdlValues() {}

    static String type(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> type(nonNull.getType()) + "!";
            case ListType list -> "[" + type(list.getType()) + "]";
            case TypeName name -> name.getName();
            default -> throw new IllegalStateException("unknown type node " + type);
        };
    }

    static String value(Value<?> value) {
        return switch (value) {
            case StringValue s -> quote(s.getValue());
            case IntValue i -> i.getValue().toString();
            case FloatValue f -> f.getValue().toString();
            case BooleanValue b -> Boolean.toString(b.isValue());
            case NullValue ignored -> "null";
            case EnumValue e -> e.getName();
            case VariableReference v -> "$" + v.getName();
            case ArrayValue a -> a.getValues().stream().map(SdlValues::value).collect(Collectors.joining(", ", "[", "]"));
            case ObjectValue o -> o.getObjectFields().stream().map(f -> f.getName() + ": " + value(f.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            default -> throw new IllegalStateException("unknown value node " + value);
        };
    }

    static String directive(Directive directive) {
        if (directive.getArguments().isEmpty()) return "@" + directive.getName();
        return "@" + directive.getName() + directive.getArguments().stream().map(a -> a.getName() + ": " + value(a.getValue()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04X", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
