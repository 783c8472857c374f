package dev.vestibule.router.composition;

import java.util.List;

/**
 * Why a set of subgraphs does not compose: an Apollo-compatible error code, the subgraphs involved, the schema
 * coordinate ({@code Type} or {@code Type.field}), the line in the first subgraph's SDL when known, and what to change.
 */
public record CompositionError(String code, String message, List<String> subgraphs, String coordinate, int line,
                               String hint) {

    public CompositionError {
        subgraphs = List.copyOf(subgraphs);
    }

    /** One block a backend engineer can act on: where, what, and how to fix it. */
    public String describe() {
        StringBuilder text = new StringBuilder("error[").append(code).append("]");
        if (!subgraphs.isEmpty()) text.append(" ").append(String.join(", ", subgraphs));
        if (coordinate != null) text.append(" ").append(coordinate);
        if (line > 0) text.append(" (line ").append(line).append(")");
        text.append(": ").append(message);
        if (hint != null && !hint.isBlank()) text.append("\n  hint: ").append(hint);
        return text.toString();
    }
}
