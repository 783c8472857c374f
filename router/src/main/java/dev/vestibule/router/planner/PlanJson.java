package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plan as plain maps and lists, for `vestibule plan --json` and tools that read plans. */
public final class PlanJson {
    private PlanJson() {}

    public static Map<String, Object> of(QueryPlan plan) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "QueryPlan");
        json.put("fetches", plan.fetchCount());
        if (plan.root() != null) json.put("node", node(plan.root()));
        return json;
    }

    private static Map<String, Object> node(PlanNode node) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (node) {
            case PlanNode.Sequence s -> {
                json.put("kind", "Sequence");
                json.put("nodes", nodes(s.nodes()));
            }
            case PlanNode.Parallel p -> {
                json.put("kind", "Parallel");
                json.put("nodes", nodes(p.nodes()));
            }
            case PlanNode.Flatten f -> {
                json.put("kind", "Flatten");
                json.put("path", f.paths().get(0)); // the first path: what readers of one path per Flatten read
                json.put("paths", f.paths());
                json.put("node", node(f.fetch()));
            }
            case PlanNode.BatchFetch b -> {
                // one request (readers counting requests count it once, as Hive's BatchFetch), its parts as Flatten nodes
                json.put("kind", "BatchFetch");
                json.put("serviceName", b.subgraph());
                json.put("operationName", b.operationName());
                json.put("operation", b.operation());
                json.put("variableUsages", b.variableUsages());
                List<Map<String, Object>> parts = new ArrayList<>();
                for (int i = 0; i < b.parts().size(); i++) {
                    // a part under conditions of its own: inside Condition nodes, as a fetch sent alone would be
                    PlanNode part = b.parts().get(i);
                    List<Selection.Condition> conditions = b.conditions().get(i);
                    for (int c = conditions.size() - 1; c >= 0; c--) {
                        Selection.Condition condition = conditions.get(c);
                        part = condition.skip() ? new PlanNode.Condition(condition.variable(), null, part)
                                : new PlanNode.Condition(condition.variable(), part, null);
                    }
                    parts.add(node(part));
                }
                json.put("parts", parts);
            }
            case PlanNode.Condition c -> {
                json.put("kind", "Condition");
                json.put("condition", c.variable());
                json.put("ifClause", c.ifClause() == null ? null : node(c.ifClause()));
                json.put("elseClause", c.elseClause() == null ? null : node(c.elseClause()));
            }
            case PlanNode.Fetch f -> {
                json.put("kind", "Fetch");
                json.put("serviceName", f.subgraph());
                json.put("operationName", f.operationName());
                json.put("operation", f.operation());
                json.put("variableUsages", f.variableUsages());
                if (f.isEntityFetch()) json.put("requires", SelectionPrinter.compact(f.requires()));
                if (f.representationTypename() != null) json.put("representationTypename", f.representationTypename());
            }
        }
        return json;
    }

    private static List<Map<String, Object>> nodes(List<PlanNode> nodes) {
        return nodes.stream().map(PlanJson::node).toList();
    }
}
