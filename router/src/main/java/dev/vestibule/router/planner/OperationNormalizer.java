package dev.vestibule.router.planner;

import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.operation.SelectionNormalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Planning's first stage: the operation's selections normalized (named fragments inlined, literal @skip/@include
 * applied, variable ones kept as conditions: {@link SelectionNormalizer}), and its root fields as the walk plans
 * them, those that are one field to the client merged into one.
 */
final class OperationNormalizer {
    private OperationNormalizer() {}

    /** The normalized selections of the operation: what the walk plans and the response is shaped by. */
    static List<Selection> selections(PreparedOperation operation) {
        return withoutContradictions(new SelectionNormalizer(operation.fragments()).normalize(operation.operation().getSelectionSet()),
                Map.of());
    }

    /**
     * The selections without the fragments whose conditions contradict those around them or each other: {@code
     * @skip(if: $v)} inside {@code @include(if: $v)} (or on the same fragment) holds for no value of {@code $v}: it is
     * left out as a literal {@code @skip(if: true)} is. Planned, it made a fetch that asks for nothing (shared-root,
     * plan-bench on the seed-58 operations: a second subgraph called, where Apollo's planner calls one). The response
     * shaper shapes by these selections too (the plan carries them), where its per-request decision would have left
     * the fragment out as well. {@code around}: each variable's condition around the selections, true for a skip.
     */
    static List<Selection> withoutContradictions(List<Selection> selections, Map<String, Boolean> around) {
        List<Selection> out = new ArrayList<>(selections.size());
        boolean changed = false;
        for (Selection selection : selections) {
            Selection kept = switch (selection) {
                case Selection.Field f -> {
                    List<Selection> inner = f.selections().isEmpty() ? f.selections() : withoutContradictions(f.selections(), around);
                    yield inner == f.selections() ? f : new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), inner);
                }
                case Selection.Fragment f -> {
                    Map<String, Boolean> inside = around;
                    boolean never = false;
                    for (Selection.Condition condition : f.conditions()) {
                        Boolean outer = inside.get(condition.variable());
                        if (outer != null && outer != condition.skip()) never = true;
                        if (outer == null) {
                            inside = new HashMap<>(inside);
                            inside.put(condition.variable(), condition.skip());
                        }
                    }
                    if (never) yield null;
                    List<Selection> inner = withoutContradictions(f.selections(), inside);
                    yield inner == f.selections() ? f : new Selection.Fragment(f.typeCondition(), inner, f.conditions());
                }
            };
            if (kept != selection) changed = true;
            if (kept != null) out.add(kept);
        }
        return changed ? out : selections;
    }

    /**
     * The root fields of the operation as written, literal @skip/@include ignored, by response key (merged as in
     * {@link #rootFields}): what the root subgraph is chosen by when those conditions leave a field nothing to select.
     */
    static Map<String, Selection.Field> rootFieldsAsWritten(PreparedOperation operation) {
        List<Selection> written = new SelectionNormalizer(operation.fragments(), true).normalize(operation.operation().getSelectionSet());
        Map<String, Selection.Field> byKey = new HashMap<>();
        for (RootField root : rootFields(written)) byKey.putIfAbsent(root.field().responseKey(), root.field());
        return byKey;
    }

    /** The root fields of normalized selections, in document order, merged as the client sees them. */
    static List<RootField> rootFields(List<Selection> selections) {
        return mergedByResponseKey(rootFields(selections, List.of()));
    }

    /**
     * Root fields that share a response key (and the conditions around them) are one field to the client: their
     * selections are merged before planning, so that the subgraph chosen for the field sees all of it (planned one by
     * one, {@code {a {x}} {a {y}}} could send {@code x} and {@code y} to different subgraphs, of which one may not
     * be asked for this field at all).
     */
    private static List<RootField> mergedByResponseKey(List<RootField> fields) {
        Map<String, Integer> seen = new HashMap<>();
        List<RootField> merged = new ArrayList<>(fields.size());
        for (RootField root : fields) {
            String key = root.field().responseKey() + "|" + root.conditions();
            Integer at = seen.get(key);
            if (at == null || root.field().isLeaf()) {
                seen.putIfAbsent(key, merged.size());
                merged.add(root);
                continue;
            }
            RootField first = merged.get(at);
            List<Selection> selections = new ArrayList<>(first.field().selections());
            selections.addAll(root.field().selections());
            Selection.Field f = first.field();
            merged.set(at, new RootField(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), selections),
                    first.conditions()));
        }
        return withConditionalSelectionsInside(merged);
    }

    /**
     * A root field asked without conditions and, under the same response key, under conditions on variables is one
     * field whenever those hold: the conditional one's selections go inside the unconditional one, under its
     * conditions, so that the subgraph chosen for the field sees all of it ({@code media @include(if: $v) {id}}
     * planned apart went to a subgraph that serves {@code id} but must not be asked for {@code media}, while the
     * references ask the subgraph the other {@code media} needs).
     */
    private static List<RootField> withConditionalSelectionsInside(List<RootField> fields) {
        Map<String, Integer> unconditional = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            RootField root = fields.get(i);
            if (root.conditions().isEmpty() && !root.field().isLeaf()) unconditional.putIfAbsent(root.field().responseKey(), i);
        }
        List<RootField> merged = new ArrayList<>(fields);
        boolean[] moved = new boolean[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            RootField root = fields.get(i);
            Integer at = unconditional.get(root.field().responseKey());
            if (at == null || root.conditions().isEmpty() || root.field().isLeaf()) continue;
            List<Selection> inside = root.field().selections();
            for (int level = root.conditions().size() - 1; level >= 0; level--) {
                inside = List.of(new Selection.Fragment(null, inside, root.conditions().get(level)));
            }
            Selection.Field f = merged.get(at).field();
            List<Selection> selections = new ArrayList<>(f.selections());
            selections.addAll(inside);
            merged.set(at, new RootField(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), selections), List.of()));
            moved[i] = true;
        }
        List<RootField> out = new ArrayList<>(merged.size());
        for (int i = 0; i < merged.size(); i++) if (!moved[i]) out.add(merged.get(i));
        return out;
    }

    /** Root fields in document order, through fragments on the root type. */
    private static List<RootField> rootFields(List<Selection> selections, List<List<Selection.Condition>> around) {
        List<RootField> fields = new ArrayList<>();
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> fields.add(new RootField(f, around));
                case Selection.Fragment f -> {
                    List<List<Selection.Condition>> inner = around;
                    if (f.isConditional()) {
                        inner = new ArrayList<>(around);
                        inner.add(f.conditions());
                    }
                    fields.addAll(rootFields(f.selections(), inner));
                }
            }
        }
        return fields;
    }
}
