package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import graphql.language.AstPrinter;
import java.util.List;
import java.util.stream.Collectors;

/** Prints selections as GraphQL text: compact for subgraph operations, indented for plans people read. */
public final class SelectionPrinter {
    private SelectionPrinter() {}

    public static String compact(List<Selection> selections) {
        return "{" + selections.stream().map(SelectionPrinter::compact).collect(Collectors.joining(" ")) + "}";
    }

    private static String compact(Selection selection) {
        return switch (selection) {
            case Selection.Field f -> head(f) + (f.isLeaf() ? "" : " " + compact(f.selections()));
            case Selection.Fragment f -> "..." + (f.typeCondition() == null ? "" : " on " + f.typeCondition())
                    + conditions(f) + " " + compact(f.selections());
        };
    }

    public static String pretty(List<Selection> selections, String indent) {
        StringBuilder out = new StringBuilder("{\n");
        for (Selection selection : selections) pretty(selection, indent + "  ", out);
        return out.append(indent).append("}").toString();
    }

    private static void pretty(Selection selection, String indent, StringBuilder out) {
        switch (selection) {
            case Selection.Field f -> {
                out.append(indent).append(head(f));
                if (!f.isLeaf()) out.append(" ").append(pretty(f.selections(), indent));
                out.append("\n");
            }
            case Selection.Fragment f -> out.append(indent).append("...")
                    .append(f.typeCondition() == null ? "" : " on " + f.typeCondition()).append(conditions(f)).append(" ")
                    .append(pretty(f.selections(), indent)).append("\n");
        }
    }

    private static String conditions(Selection.Fragment f) {
        StringBuilder out = new StringBuilder();
        f.conditions().forEach(c -> out.append(" ").append(c.directive()));
        return out.toString();
    }

    private static String head(Selection.Field f) {
        StringBuilder head = new StringBuilder();
        if (!f.responseKey().equals(f.name())) head.append(f.responseKey()).append(": ");
        head.append(f.name());
        if (!f.arguments().isEmpty()) {
            head.append("(").append(f.arguments().stream().map(AstPrinter::printAstCompact)
                    .collect(Collectors.joining(", "))).append(")");
        }
        f.directives().forEach(d -> head.append(" ").append(AstPrinter.printAstCompact(d)));
        return head.toString();
    }
}
