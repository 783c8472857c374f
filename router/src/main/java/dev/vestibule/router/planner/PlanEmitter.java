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

    static PlanNode emit(FetchGraph graph, OperationDefinition operation, SubgraphCoverage coverage) {
        if (graph.groups.isEmpty()) return null;
        Map<Integer, List<PlanNode>> stages = new TreeMap<>();
        Map<FetchGroup, Integer> depth = new HashMap<>();
        for (FetchGroup group : graph.groups) {
            stages.computeIfAbsent(depth(group, depth, new LinkedHashSet<>()), k -> new ArrayList<>())
                    .add(underConditions(underAlternatives(node(group, operation, coverage), alternativesOf(group)), conditionsOf(group)));
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
    static List<Selection.Condition> conditionsOf(FetchGroup group) {
        List<Selection.Condition> shared = new ArrayList<>(group.selection.requiredConditions());
        for (FetchGroup part : group.batched) shared.retainAll(part.selection.requiredConditions()); // a batch: what all share
        return shared;
    }

    /** At most this many alternatives, and conditions in all, are written out as Condition nodes (see below). */
    private static final int MOST_ALTERNATIVES = 3;
    private static final int MOST_ALTERNATIVE_CONDITIONS = 6;

    /**
     * Where a fetch asks for anything only under one of several alternatives of conditions beyond those it is always
     * under ({@link #conditionsOf}): fetches to one subgraph merged from parts under other conditions
     * ({@code ... @skip(if: $a) { shippingEstimate } ... @skip(if: $b) { inStock }}), which Apollo's planner leaves
     * two fetches. The merged fetch is sent once where both hold and not at all where neither does. Empty when it
     * always asks for something (or for a batch, whose parts have conditions of their own).
     */
    static List<List<Selection.Condition>> alternativesOf(FetchGroup group) {
        if (!group.batched.isEmpty()) return List.of();
        List<List<Selection.Condition>> alternatives = group.selection.askedWhen();
        if (alternatives == null || alternatives.size() < 2 || alternatives.size() > MOST_ALTERNATIVES) return List.of();
        List<Selection.Condition> shared = conditionsOf(group);
        List<List<Selection.Condition>> own = new ArrayList<>();
        int count = 0;
        for (List<Selection.Condition> alternative : alternatives) {
            List<Selection.Condition> rest = new ArrayList<>(alternative);
            rest.removeAll(shared);
            if (rest.isEmpty()) return List.of(); // the shared conditions alone suffice
            own.add(rest);
            count += rest.size();
        }
        return count > MOST_ALTERNATIVE_CONDITIONS ? List.of() : own;
    }

    /**
     * {@code node} where one of the alternatives holds: Condition nodes that try each alternative in turn, the node
     * itself where all of one's conditions hold, the next alternative where one of them does not (so the node is
     * written once per condition that can fail).
     */
    private static PlanNode underAlternatives(PlanNode node, List<List<Selection.Condition>> alternatives) {
        if (alternatives.isEmpty()) return node;
        PlanNode otherwise = null;
        for (int i = alternatives.size() - 1; i >= 0; i--) {
            PlanNode holds = node;
            List<Selection.Condition> alternative = alternatives.get(i);
            for (int j = alternative.size() - 1; j >= 0; j--) {
                Selection.Condition condition = alternative.get(j);
                holds = condition.skip() ? new PlanNode.Condition(condition.variable(), otherwise, holds)
                        : new PlanNode.Condition(condition.variable(), holds, otherwise);
            }
            otherwise = holds;
        }
        return otherwise;
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

    private static PlanNode node(FetchGroup group, OperationDefinition operation, SubgraphCoverage coverage) {
        return group.batched.isEmpty() ? single(group, operation, coverage) : batch(group, operation);
    }

    /** The fetch of one group sent alone. */
    private static PlanNode single(FetchGroup group, OperationDefinition operation, SubgraphCoverage coverage) {
        List<Selection> selection = group.selection.freeze();
        PlanNode.Fetch fetch = fetch(group, operation, selection, group.entityFetch ? group.requires.freeze() : null);
        if (!group.entityFetch) return fetch;
        return new PlanNode.Flatten(group.paths(), fetch, withoutRequiring(group, operation, coverage, selection));
    }

    /**
     * The entity fetch asking {@code selection} with representations built from {@code requires} (null for a root
     * fetch).
     */
    private static PlanNode.Fetch fetch(FetchGroup group, OperationDefinition operation, List<Selection> selection, List<Selection> requires) {
        Set<String> variables = new LinkedHashSet<>();
        collectVariables(selection, variables);
        List<String> definitions = definitions(variables, operation);
        String kind = operation.getOperation() == OperationDefinition.Operation.MUTATION && !group.entityFetch ? "mutation" : "query";
        String name = name(group, operation);
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
        return new PlanNode.Fetch(group.subgraph, name, text, selection, List.copyOf(variables), requires,
                group.entityFetch ? group.keys.freeze() : null, group.representationTypename);
    }

    /**
     * The entity fetch for objects whose @requires field is missing because the fetch that was to bring it failed: the
     * same fetch without the fields that need a requirement, its representations keys alone (see
     * {@link PlanNode.Flatten#withoutRequiring}). Null where the fetch carries no requirement or every field it asks
     * for needs one.
     */
    private static PlanNode.Flatten withoutRequiring(FetchGroup group, OperationDefinition operation, SubgraphCoverage coverage,
                                                     List<Selection> selection) {
        List<Selection> keys = group.keys.freeze();
        List<Selection> requires = group.requires.freeze();
        if (SelectionPrinter.compact(keys).equals(SelectionPrinter.compact(requires))) return null;
        List<Selection> kept = new ArrayList<>(selection.size());
        for (Selection part : selection) {
            if (!(part instanceof Selection.Fragment typed) || typed.typeCondition() == null) return null; // not _entities' shape
            List<Selection> rest = notRequiring(typed.selections(), group.subgraph, typed.typeCondition(), coverage);
            if (!rest.isEmpty()) kept.add(typed.withSelections(rest));
        }
        if (kept.isEmpty() || !asksAField(kept) || SelectionPrinter.compact(kept).equals(SelectionPrinter.compact(selection))) return null;
        PlanNode.Fetch fetch = fetch(group, operation, kept, keys);
        return new PlanNode.Flatten(group.paths(), fetch, null);
    }

    /** {@code selections} on {@code type} without the fields that @requires something in the subgraph. */
    private static List<Selection> notRequiring(List<Selection> selections, String subgraph, String type, SubgraphCoverage coverage) {
        List<Selection> rest = new ArrayList<>(selections.size());
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> { if (f.isTypename() || !coverage.hasRequires(subgraph, type, f.name())) rest.add(f); }
                case Selection.Fragment f -> {
                    String on = f.typeCondition() == null ? type : f.typeCondition();
                    List<Selection> inner = notRequiring(f.selections(), subgraph, on, coverage);
                    if (!inner.isEmpty()) rest.add(f.withSelections(inner));
                }
            }
        }
        return rest;
    }

    /** Whether {@code selections} ask for a field besides __typename. */
    private static boolean asksAField(List<Selection> selections) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> { if (!f.isTypename()) return true; }
                case Selection.Fragment f -> { if (asksAField(f.selections())) return true; }
            }
        }
        return false;
    }

    /**
     * One request for an entity fetch and those it batches: each part is the entity fetch it stands for (its node, as
     * if sent alone), and the request asks each part's selection from an {@code _entities} field of its own.
     */
    private static PlanNode.BatchFetch batch(FetchGroup group, OperationDefinition operation) {
        List<FetchGroup> members = new ArrayList<>(1 + group.batched.size());
        members.add(group);
        members.addAll(group.batched);
        List<PlanNode.Flatten> parts = new ArrayList<>(members.size());
        List<Selection.Condition> shared = conditionsOf(group);
        List<List<Selection.Condition>> conditions = new ArrayList<>(members.size());
        Set<String> variables = new LinkedHashSet<>();
        List<String> definitions = new ArrayList<>();
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            FetchGroup member = members.get(i);
            // a part carries no fetch without its @requires fields: the executor sends a batch's parts as one request
            PlanNode.Flatten part = new PlanNode.Flatten(member.paths(),
                    fetch(member, operation, member.selection.freeze(), member.requires.freeze()));
            parts.add(part);
            List<Selection.Condition> own = new ArrayList<>(member.selection.requiredConditions());
            own.removeAll(shared);
            conditions.add(own);
            variables.addAll(part.fetch().variableUsages());
            definitions.add("$" + PlanNode.BatchFetch.representationsVariable(i) + ": [_Any!]!");
            if (i > 0) fields.append(' ');
            fields.append(PlanNode.BatchFetch.alias(i)).append(": _entities(representations: $")
                    .append(PlanNode.BatchFetch.representationsVariable(i)).append(") ")
                    .append(SelectionPrinter.compact(part.fetch().selection()));
        }
        definitions.addAll(definitions(variables, operation));
        String name = name(group, operation);
        String text = "query " + name + "(" + String.join(", ", definitions) + ") {" + fields + "}";
        return new PlanNode.BatchFetch(group.subgraph, name, text, List.copyOf(variables), parts, conditions);
    }

    private static String name(FetchGroup group, OperationDefinition operation) {
        return (operation.getName() == null ? "" : operation.getName() + "__") + group.subgraph + "__" + group.id;
    }

    /** The operation's definitions of {@code variables}, as a fetch's operation declares them. */
    private static List<String> definitions(Set<String> variables, OperationDefinition operation) {
        List<String> definitions = new ArrayList<>();
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            if (variables.contains(definition.getName())) {
                definitions.add("$" + definition.getName() + ": " + AstPrinter.printAstCompact(definition.getType())
                        + (definition.getDefaultValue() == null ? "" : " = " + AstPrinter.printAstCompact(definition.getDefaultValue())));
            }
        }
        return definitions;
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
