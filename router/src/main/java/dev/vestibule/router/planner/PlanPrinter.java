package dev.vestibule.router.planner;

import java.util.List;

/** The plan in the text form of Apollo's and Hive's query plans, for `vestibule plan`, tests and debugging. */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String print(QueryPlan plan) {
        StringBuilder out = new StringBuilder("QueryPlan {\n");
        if (plan.root() != null) print(plan.root(), "  ", out);
        return out.append("}").toString();
    }

    private static void print(PlanNode node, String indent, StringBuilder out) {
        switch (node) {
            case PlanNode.Sequence s -> block("Sequence", s.nodes(), indent, out);
            case PlanNode.Parallel p -> block("Parallel", p.nodes(), indent, out);
            case PlanNode.Flatten f -> {
                if (f.paths().size() == 1) {
                    out.append(indent).append("Flatten(path: \"").append(String.join(".", f.paths().get(0))).append("\") {\n");
                } else {
                    out.append(indent).append("Flatten(paths: [")
                            .append(String.join(", ", f.paths().stream().map(p -> "\"" + String.join(".", p) + "\"").toList()))
                            .append("]) {\n");
                }
                print(f.fetch(), indent + "  ", out);
                out.append(indent).append("},\n");
            }
            case PlanNode.BatchFetch b -> {
                // each part: its alias, the paths of its objects, what its representations carry; then the request
                out.append(indent).append("BatchFetch(service: \"").append(b.subgraph()).append("\") {\n");
                String inner = indent + "  ";
                for (int i = 0; i < b.parts().size(); i++) {
                    PlanNode.Flatten part = b.parts().get(i);
                    out.append(inner).append(PlanNode.BatchFetch.alias(i)).append(" at ")
                            .append(String.join(", ", part.paths().stream().map(p -> "\"" + String.join(".", p) + "\"").toList()))
                            .append(String.join("", b.conditions().get(i).stream()
                                    .map(c -> (c.skip() ? " Skip(if: $" : " Include(if: $") + c.variable() + ")").toList()))
                            .append(": ").append(SelectionPrinter.pretty(part.fetch().requires(), inner)).append(" =>\n");
                    if (part.fetch().representationTypename() != null) {
                        out.append(inner).append("(representations as ").append(part.fetch().representationTypename()).append(")\n");
                    }
                }
                out.append(inner).append(b.operation()).append("\n");
                out.append(indent).append("},\n");
            }
            case PlanNode.Condition c -> {
                // Apollo's text form: Include(if:) with only a then-branch, Skip(if:) with only an else-branch
                if (c.elseClause() == null || c.ifClause() == null) {
                    out.append(indent).append(c.elseClause() == null ? "Include" : "Skip").append("(if: $").append(c.variable()).append(") {\n");
                    print(c.elseClause() == null ? c.ifClause() : c.elseClause(), indent + "  ", out);
                } else {
                    out.append(indent).append("Condition(if: $").append(c.variable()).append(") {\n");
                    out.append(indent).append("  Then {\n");
                    print(c.ifClause(), indent + "    ", out);
                    out.append(indent).append("  },\n").append(indent).append("  Else {\n");
                    print(c.elseClause(), indent + "    ", out);
                    out.append(indent).append("  },\n");
                }
                out.append(indent).append("},\n");
            }
            case PlanNode.Fetch f -> {
                out.append(indent).append("Fetch(service: \"").append(f.subgraph()).append("\") {\n");
                String inner = indent + "  ";
                if (f.isEntityFetch()) {
                    out.append(inner).append(SelectionPrinter.pretty(f.requires(), inner)).append(" =>\n");
                    if (f.representationTypename() != null) {
                        out.append(inner).append("(representations as ").append(f.representationTypename()).append(")\n");
                    }
                }
                out.append(inner).append(f.operation()).append("\n");
                out.append(indent).append("},\n");
            }
        }
    }

    private static void block(String name, List<PlanNode> nodes, String indent, StringBuilder out) {
        out.append(indent).append(name).append(" {\n");
        nodes.forEach(n -> print(n, indent + "  ", out));
        out.append(indent).append("},\n");
    }
}
