package dev.vestibule.router.operation;

import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an operation's selection sets into {@link Selection}s: named fragments become inline fragments and
 * {@code @skip}/{@code @include} are decided with the request's variables. Because the outcome depends on those
 * variables, {@link #conditionValues} gives the part of a request's variables that a cached plan must be keyed on.
 */
public final class SelectionNormalizer {
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, Object> variables;

    public SelectionNormalizer(Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
        this.fragments = fragments;
        this.variables = variables;
    }

    public List<Selection> normalize(SelectionSet selectionSet) {
        List<Selection> out = new ArrayList<>();
        if (selectionSet == null) return out;
        for (graphql.language.Selection<?> selection : selectionSet.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (!included(field.getDirectives())) continue;
                    out.add(new Selection.Field(field.getResultKey(), field.getName(), field.getArguments(),
                            withoutConditions(field.getDirectives()), normalize(field.getSelectionSet())));
                }
                case InlineFragment inline -> {
                    if (!included(inline.getDirectives())) continue;
                    String type = inline.getTypeCondition() == null ? null : inline.getTypeCondition().getName();
                    out.add(new Selection.Fragment(type, normalize(inline.getSelectionSet())));
                }
                case FragmentSpread spread -> {
                    if (!included(spread.getDirectives())) continue;
                    FragmentDefinition definition = fragments.get(spread.getName());
                    out.add(new Selection.Fragment(definition.getTypeCondition().getName(),
                            normalize(definition.getSelectionSet())));
                }
                default -> throw new IllegalStateException("unknown selection " + selection);
            }
        }
        return out;
    }

    private boolean included(List<Directive> directives) {
        for (Directive directive : directives) {
            if (directive.getName().equals("skip") && isTrue(directive)) return false;
            if (directive.getName().equals("include") && !isTrue(directive)) return false;
        }
        return true;
    }

    private boolean isTrue(Directive directive) {
        Value<?> value = directive.getArgument("if").getValue();
        if (value instanceof BooleanValue b) return b.isValue();
        if (value instanceof VariableReference ref) return Boolean.TRUE.equals(variables.get(ref.getName()));
        return false;
    }

    private static List<Directive> withoutConditions(List<Directive> directives) {
        return directives.stream().filter(d -> !d.getName().equals("skip") && !d.getName().equals("include")).toList();
    }

    /** The values of the variables that @skip/@include use: with the operation text, the key of a cached plan. */
    public static Map<String, Object> conditionValues(PreparedOperation operation) {
        if (operation.conditionVariables().isEmpty()) return Map.of();
        Map<String, Object> values = new TreeMap<>();
        for (String name : operation.conditionVariables()) values.put(name, operation.variables().get(name));
        return values;
    }

    /** The variables a document's @skip and @include directives read (found once per cached document). */
    static java.util.Set<String> conditionVariables(graphql.language.Node<?> node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        collect(node, names);
        return java.util.Set.copyOf(names);
    }

    private static void collect(graphql.language.Node<?> node, java.util.Set<String> names) {
        if (node instanceof Directive d && (d.getName().equals("skip") || d.getName().equals("include"))
                && d.getArgument("if") != null && d.getArgument("if").getValue() instanceof VariableReference ref) {
            names.add(ref.getName());
        }
        for (graphql.language.Node<?> child : node.getChildren()) collect(child, names);
    }
}
