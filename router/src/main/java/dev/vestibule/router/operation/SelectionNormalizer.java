package dev.vestibule.router.operation;

import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns an operation's selection sets into {@link Selection}s: named fragments become inline fragments;
 * {@code @skip}/{@code @include} with a literal are decided here, those on a variable are kept as the conditions of a
 * fragment (around the field they were on), so that one plan serves every value: the plan carries them to the
 * subgraphs and into Condition nodes, the response shaper decides them per request ({@link #conditionValues}).
 */
public final class SelectionNormalizer {
    private final Map<String, FragmentDefinition> fragments;
    /** Whether selections a literal @skip/@include removes are kept (as if unconditional): the operation as written. */
    private final boolean keepSkipped;

    public SelectionNormalizer(Map<String, FragmentDefinition> fragments) {
        this(fragments, false);
    }

    /**
     * @param keepSkipped keep what a literal {@code @skip(if: true)} or {@code @include(if: false)} removes, as if it
     *                    had no condition: the operation as written, which the planner chooses a root subgraph by when
     *                    the literal conditions leave a root field nothing to select
     */
    public SelectionNormalizer(Map<String, FragmentDefinition> fragments, boolean keepSkipped) {
        this.fragments = fragments;
        this.keepSkipped = keepSkipped;
    }

    public List<Selection> normalize(SelectionSet selectionSet) {
        List<Selection> out = new ArrayList<>();
        if (selectionSet == null) return out;
        for (graphql.language.Selection<?> selection : selectionSet.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (!keepSkipped && !included(field.getDirectives())) continue;
                    Selection.Field normalized = new Selection.Field(field.getResultKey(), field.getName(), field.getArguments(),
                            withoutConditions(field.getDirectives()), normalize(field.getSelectionSet()));
                    List<Selection.Condition> conditions = conditions(field.getDirectives());
                    out.add(conditions.isEmpty() ? normalized : new Selection.Fragment(null, List.of(normalized), conditions));
                }
                case InlineFragment inline -> {
                    if (!keepSkipped && !included(inline.getDirectives())) continue;
                    String type = inline.getTypeCondition() == null ? null : inline.getTypeCondition().getName();
                    out.add(new Selection.Fragment(type, normalize(inline.getSelectionSet()), conditions(inline.getDirectives())));
                }
                case FragmentSpread spread -> {
                    if (!keepSkipped && !included(spread.getDirectives())) continue;
                    FragmentDefinition definition = fragments.get(spread.getName());
                    out.add(new Selection.Fragment(definition.getTypeCondition().getName(),
                            normalize(definition.getSelectionSet()), conditions(spread.getDirectives())));
                }
                default -> throw new IllegalStateException("unknown selection " + selection);
            }
        }
        return out;
    }

    /** False when a literal @skip(if: true) or @include(if: false) removes the selection for every request. */
    private static boolean included(List<Directive> directives) {
        for (Directive directive : directives) {
            if (!(directive.getArgument("if") != null && directive.getArgument("if").getValue() instanceof BooleanValue b)) continue;
            if (directive.getName().equals("skip") && b.isValue()) return false;
            if (directive.getName().equals("include") && !b.isValue()) return false;
        }
        return true;
    }

    /** The @skip/@include on a variable, decided per request. */
    private static List<Selection.Condition> conditions(List<Directive> directives) {
        List<Selection.Condition> out = new ArrayList<>();
        for (Directive directive : directives) {
            boolean skip = directive.getName().equals("skip");
            if ((skip || directive.getName().equals("include")) && directive.getArgument("if") != null
                    && directive.getArgument("if").getValue() instanceof VariableReference ref) {
                out.add(new Selection.Condition(ref.getName(), skip));
            }
        }
        return out;
    }

    private static List<Directive> withoutConditions(List<Directive> directives) {
        return directives.stream().filter(d -> !d.getName().equals("skip") && !d.getName().equals("include")).toList();
    }

    /** The values of the variables that @skip/@include use: what a response's shape depends on beyond the plan. */
    public static Map<String, Object> conditionValues(PreparedOperation operation) {
        if (operation.conditionVariables().isEmpty()) return Map.of();
        Map<String, Object> values = new TreeMap<>();
        for (String name : operation.conditionVariables()) values.put(name, operation.variables().get(name));
        return values;
    }

    /** The variables a document's @skip and @include directives read (found once per cached document). */
    static Set<String> conditionVariables(Node<?> node) {
        Set<String> names = new TreeSet<>();
        collect(node, names);
        return Set.copyOf(names);
    }

    private static void collect(Node<?> node, Set<String> names) {
        if (node instanceof Directive d && (d.getName().equals("skip") || d.getName().equals("include"))
                && d.getArgument("if") != null && d.getArgument("if").getValue() instanceof VariableReference ref) {
            names.add(ref.getName());
        }
        for (Node<?> child : node.getChildren()) collect(child, names);
    }
}
