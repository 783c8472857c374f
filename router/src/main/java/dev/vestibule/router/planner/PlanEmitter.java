package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Planning's last stage: turns the optimized fetch graph into the plan tree; every group runs after the groups it
 * depends on. Groups are placed in stages by their longest chain of dependencies; a stage's groups run in parallel,
 * stages in sequence.
 */
final class PlanEmitter {
    private PlanEmitter() {}

    static PlanNode emit(FetchGraph graph, OperationDefinition operation) {
        if (graph.groups.isEmpty()) return null;
        Map<Integer, List<PlanNode>> stages = new TreeMap<>();
        Map<FetchGroup, Integer> depth = new HashMap<>();
        for (FetchGroup group : graph.groups) {
            stages.computeIfAbsent(depth(group, depth, new LinkedHashSet<>()), k -> new ArrayList<>())
                    .add(underConditions(node(group, operation), conditionsOf(group)));
        }
        List<PlanNode> sequence = new ArrayList<>();
        for (List<PlanNode> stage : stages.values()) sequence.add(stage.size() == 1 ? stage.get(0) : new PlanNode.Parallel(stage));
        return sequence.size() == 1 ? sequence.get(0) : new PlanNode.Sequence(sequence);
    }

    /** The longest chain of dependencies below a group (a group created later may be needed earlier: @requires). */
    static int depth(FetchGroup group, Map<FetchGroup, Integer> memo, Set<FetchGroup> visiting) {
        Integer known = memo.get(group);
        if (known != null) return known;
        if (!visiting.add(group)) {
            throw new PlanningException("fetches depend on each other in a cycle through subgraph " + group.subgraph);
        }
        int d = 0;
        for (FetchGroup dependency : group.dependsOn) d = Math.max(d, depth(dependency, memo, visiting) + 1);
        visiting.remove(group);
        memo.put(group, d);
        return d;
    }

    /**
     * The @skip/@include conditions everything a fetch asks for is under (in every type of an entity fetch, through
     * nested conditional fragments: {@code ... @include(if: $a) { ... @skip(if: $b) { x } }} is under both), or none:
     * such a fetch is not sent when one of them does not hold, as Apollo's planner wraps it in Condition nodes.
     */
    private static List<Selection.Condition> conditionsOf(FetchGroup group) {
        return group.selection.requiredConditions();
    }

    /** {@code node} inside one Condition node per condition, the first outermost. */
    private static PlanNode underConditions(PlanNode node, List<Selection.Condition> conditions) {
        PlanNode wrapped = node;
        for (int i = conditions.size() - 1; i >= 0; i--) {
            Selection.Condition condition = conditions.get(i);
            wrapped = condition.skip() ? new PlanNode.Condition(condition.variable(), null, wrapped)
                    : new PlanNode.Condition(condition.variable(), wrapped, null);
        }
        return wrapped;
    }

    private static PlanNode node(FetchGroup group, OperationDefinition operation) {
        List<Selection> selection = group.selection.freeze();
        Set<String> variables = new LinkedHashSet<>();
        collectVariables(selection, variables);
        List<String> definitions = new ArrayList<>();
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            if (variables.contains(definition.getName())) {
                definitions.add("$" + definition.getName() + ": " + AstPrinter.printAstCompact(definition.getType())
                        + (definition.getDefaultValue() == null ? "" : " = " + AstPrinter.printAstCompact(definition.getDefaultValue())));
            }
        }
        String kind = operation.getOperation() == OperationDefinition.Operation.MUTATION && !group.entityFetch ? "mutation" : "query";
        String name = (operation.getName() == null ? "" : operation.getName() + "__") + group.subgraph + "__" + group.id;
        String text;
        if (group.entityFetch) {
            List<String> all = new ArrayList<>();
            all.add("$representations: [_Any!]!");
            all.addAll(definitions);
            text = kind + " " + name + "(" + String.join(", ", all) + ") {_entities(representations: $representations) "
                    + SelectionPrinter.compact(selection) + "}";
        } else {
            text = kind + " " + name + (definitions.isEmpty() ? "" : "(" + String.join(", ", definitions) + ")") + " "
                    + SelectionPrinter.compact(selection);
        }
        PlanNode.Fetch fetch = new PlanNode.Fetch(group.subgraph, name, text, selection, List.copyOf(variables),
                group.entityFetch ? group.requires.freeze() : null, group.entityFetch ? group.keys.freeze() : null,
                group.representationTypename);
        return group.entityFetch ? new PlanNode.Flatten(group.paths(), fetch) : fetch;
    }

    private static void collectVariables(List<Selection> selections, Set<String> out) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> {
                    for (Argument argument : f.arguments()) collectVariables(argument.getValue(), out);
                    f.directives().forEach(d -> d.getArguments().forEach(a -> collectVariables(a.getValue(), out)));
                    collectVariables(f.selections(), out);
                }
                case Selection.Fragment f -> {
                    f.conditions().forEach(c -> out.add(c.variable()));
                    collectVariables(f.selections(), out);
                }
            }
        }
    }

    private static void collectVariables(Value<?> value, Set<String> out) {
        switch (value) {
            case VariableReference ref -> out.add(ref.getName());
            case ArrayValue array -> array.getValues().forEach(v -> collectVariables(v, out));
            case ObjectValue object -> object.getObjectFields().forEach(f -> collectVariables(f.getValue(), out));
            default -> { }
        }
    }
}
