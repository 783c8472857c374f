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
        return new SelectionNormalizer(operation.fragments()).normalize(operation.operation().getSelectionSet());
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
