package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Directive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The selection set of one fetch while it is being planned: fields merge by response key, inline fragments by type
 * condition, in first-added order. Frozen into {@link Selection}s when the plan is built.
 */
final class SelectionBuilder {
    private final Map<String, Object> entries = new LinkedHashMap<>();
    /** The selection set of a field of an object, interface or union type: it must not reach a subgraph empty. */
    private boolean composite;

    private record FieldEntry(String responseKey, String name, List<Argument> arguments, List<Directive> directives,
                              SelectionBuilder children) {}

    private record FragmentEntry(String typeCondition, SelectionBuilder children) {}

    private record ConditionalEntry(List<Selection.Condition> conditions, SelectionBuilder children) {}

    SelectionBuilder field(String responseKey, String name, List<Argument> arguments, List<Directive> directives) {
        Object existing = entries.get("f:" + responseKey);
        if (existing instanceof FieldEntry field) {
            if (!sameArguments(field.arguments(), arguments)) {
                throw new PlanningException("the field " + responseKey + " is selected twice with different arguments"
                        + " in one fetch; give one of them an alias");
            }
            return field.children();
        }
        FieldEntry entry = new FieldEntry(responseKey, name, arguments, directives, new SelectionBuilder());
        entries.put("f:" + responseKey, entry);
        return entry.children();
    }

    void typename() {
        field("__typename", "__typename", List.of(), List.of());
    }

    SelectionBuilder fragment(String typeCondition) {
        return ((FragmentEntry) entries.computeIfAbsent("t:" + typeCondition,
                k -> new FragmentEntry(typeCondition, new SelectionBuilder()))).children();
    }

    /** {@code ... @include(if: $v) { }} (no type condition): what goes inside is asked only when the conditions hold. */
    SelectionBuilder conditional(List<Selection.Condition> conditions) {
        if (conditions.isEmpty()) return this;
        String key = "c:" + conditions.stream().map(Selection.Condition::directive).toList();
        return ((ConditionalEntry) entries.computeIfAbsent(key, k -> new ConditionalEntry(List.copyOf(conditions), new SelectionBuilder())))
                .children();
    }

    /**
     * Adds everything {@code other} selects (merged by response key, type condition and conditions, as when added one
     * by one). A field under the same response key with other arguments is an error, as in {@link #field}.
     */
    void addAll(SelectionBuilder other) {
        if (other.composite) composite = true;
        for (Object entry : other.entries.values()) {
            switch (entry) {
                case FieldEntry f -> field(f.responseKey(), f.name(), f.arguments(), f.directives()).addAll(f.children());
                case FragmentEntry f -> fragment(f.typeCondition()).addAll(f.children());
                case ConditionalEntry c -> conditional(c.conditions()).addAll(c.children());
                default -> throw new IllegalStateException();
            }
        }
    }

    /**
     * Moves to {@code into} the entries of this level that need nothing {@code movable} refuses: a field whose name it
     * accepts (and {@code __typename}), a @skip/@include fragment whose every entry is such a field or fragment
     * (typed fragments stay); of a @skip/@include fragment with entries that must stay, the fields it accepts move
     * into a fragment under the same conditions ({@code ... @include(if: $v) { comments(limit: 2) { id } author }}:
     * comments moves, author stays). Returns the response keys of the fields moved, through those fragments; nothing
     * moves, and the list is empty, when one of them meets the same response key with other arguments in {@code into}.
     */
    List<String> moveTo(SelectionBuilder into, Predicate<String> movable) {
        List<String> keys = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        Map<String, List<String>> movedFromConditional = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            if (movable(entry.getValue(), movable, keys)) {
                moved.add(entry.getKey());
            } else if (entry.getValue() instanceof ConditionalEntry c) {
                List<String> children = new ArrayList<>();
                for (Map.Entry<String, Object> child : c.children().entries.entrySet()) {
                    if (child.getValue() instanceof FieldEntry f && !f.name().equals("__typename") && movable.test(f.name())) {
                        children.add(child.getKey());
                        keys.add(f.responseKey());
                    }
                }
                if (!children.isEmpty()) movedFromConditional.put(entry.getKey(), children);
            }
        }
        if (moved.isEmpty() && movedFromConditional.isEmpty()) return List.of();
        SelectionBuilder probe = new SelectionBuilder();
        SelectionBuilder taken = new SelectionBuilder();
        for (String key : moved) taken.entries.put(key, entries.get(key));
        movedFromConditional.forEach((key, children) -> {
            ConditionalEntry c = (ConditionalEntry) entries.get(key);
            SelectionBuilder part = new SelectionBuilder();
            for (String child : children) part.entries.put(child, c.children().entries.get(child));
            taken.entries.put(key, new ConditionalEntry(c.conditions(), part));
        });
        try {
            probe.addAll(into);
            probe.addAll(taken);
        } catch (PlanningException conflicting) {
            return List.of();
        }
        into.addAll(taken);
        for (String key : moved) entries.remove(key);
        movedFromConditional.forEach((key, children) -> {
            ConditionalEntry c = (ConditionalEntry) entries.get(key);
            children.forEach(c.children().entries::remove);
        });
        return keys;
    }

    /**
     * Below each object field this selection (on {@code type}) selects, at any depth: moves to {@code into} the leaf
     * fields {@code answers} accepts on their parent's type, where something besides {@code __typename} stays beside
     * them (so no field is left selecting nothing). Where {@code into} does not select the object field yet, it gets
     * it, with the leaves moved, if {@code objectType} gives its type (the subgraph answers it) and it takes no
     * arguments. This level's own fields stay. Returns whether any moved; none moves onto the same response key with
     * another field or arguments.
     */
    boolean moveNestedLeavesTo(SelectionBuilder into, String type, BiFunction<String, String, String> objectType,
                               BiPredicate<String, String> answers) {
        boolean moved = false;
        for (Object entry : entries.values()) {
            if (!(entry instanceof FieldEntry f) || f.children().isEmpty()) continue;
            Object existing = into.entries.get("f:" + f.responseKey());
            if (existing != null && !(existing instanceof FieldEntry theirs && alike(f, theirs))) continue;
            if (existing == null && !f.arguments().isEmpty()) continue;
            String below = objectType.apply(type, f.name());
            if (below == null) continue;
            if (existing instanceof FieldEntry theirs) {
                moved |= f.children().moveLeavesTo(theirs.children(), below, objectType, answers);
            } else {
                SelectionBuilder asked = new SelectionBuilder();
                asked.composite();
                if (f.children().moveLeavesTo(asked, below, objectType, answers)) {
                    into.entries.put("f:" + f.responseKey(), new FieldEntry(f.responseKey(), f.name(), f.arguments(), f.directives(), asked));
                    moved = true;
                }
            }
        }
        return moved;
    }

    private boolean moveLeavesTo(SelectionBuilder into, String type, BiFunction<String, String, String> objectType,
                                 BiPredicate<String, String> answers) {
        boolean moved = moveNestedLeavesTo(into, type, objectType, answers);
        List<String> leaves = new ArrayList<>();
        boolean othersStay = false;
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            if (entry.getValue() instanceof FieldEntry f && f.name().equals("__typename")) continue;
            if (entry.getValue() instanceof FieldEntry f && f.children().isEmpty() && answers.test(type, f.name())
                    && (!into.entries.containsKey(entry.getKey()) || into.entries.get(entry.getKey()) instanceof FieldEntry theirs && alike(f, theirs))) {
                leaves.add(entry.getKey());
            } else {
                othersStay = true;
            }
        }
        if (leaves.isEmpty() || !othersStay) return moved;
        for (String key : leaves) {
            Object leaf = entries.remove(key);
            into.entries.putIfAbsent(key, leaf);
        }
        return true;
    }

    private static boolean alike(FieldEntry a, FieldEntry b) {
        return a.name().equals(b.name()) && sameArguments(a.arguments(), b.arguments());
    }

    private static boolean movable(Object entry, Predicate<String> movable, List<String> keys) {
        return switch (entry) {
            case FieldEntry f when f.name().equals("__typename") || movable.test(f.name()) -> keys.add(f.responseKey());
            case ConditionalEntry c when !c.children().entries.isEmpty() -> {
                List<String> inner = new ArrayList<>();
                for (Object child : c.children().entries.values()) {
                    if (!movable(child, movable, inner)) yield false;
                }
                keys.addAll(inner);
                yield true;
            }
            default -> false;
        };
    }

    /** The fields selected at any depth, __typename left out: a measure of what a fetch asks a subgraph to do. */
    int fieldCount() {
        int count = 0;
        for (Object entry : entries.values()) {
            switch (entry) {
                case FieldEntry f -> count += (f.name().equals("__typename") ? 0 : 1) + f.children().fieldCount();
                case FragmentEntry f -> count += f.children().fieldCount();
                case ConditionalEntry c -> count += c.children().fieldCount();
                default -> throw new IllegalStateException();
            }
        }
        return count;
    }

    /** The type conditions of the typed fragments at this level ({@code ... on T}), in order. */
    List<String> typeConditions() {
        List<String> out = new ArrayList<>();
        for (Object entry : entries.values()) if (entry instanceof FragmentEntry f) out.add(f.typeCondition());
        return out;
    }

    /** The fragment on {@code typeCondition} at this level, or null. */
    SelectionBuilder fragmentOrNull(String typeCondition) {
        return entries.get("t:" + typeCondition) instanceof FragmentEntry f ? f.children() : null;
    }

    /**
     * The @skip/@include conditions every entry of this selection is under, at any depth of fragments (outermost
     * first): when one of them does not hold, nothing this selection asks for is wanted. A field is under none (its
     * own conditions are the fragment around it); a typed fragment is under what its selection is under; a
     * conditional fragment under its conditions and what its selection is under. Empty when any entry is unconditional.
     */
    List<Selection.Condition> requiredConditions() {
        List<Selection.Condition> shared = null;
        for (Object entry : entries.values()) {
            List<Selection.Condition> mine = switch (entry) {
                case FieldEntry f -> List.<Selection.Condition>of();
                case FragmentEntry f -> f.children().requiredConditions();
                case ConditionalEntry c -> {
                    List<Selection.Condition> all = new ArrayList<>(c.conditions());
                    for (Selection.Condition inner : c.children().requiredConditions()) if (!all.contains(inner)) all.add(inner);
                    yield all;
                }
                default -> throw new IllegalStateException();
            };
            if (shared == null) shared = new ArrayList<>(mine);
            else shared.retainAll(mine);
            if (shared.isEmpty()) return List.of();
        }
        return shared == null ? List.of() : List.copyOf(shared);
    }

    /**
     * The alternatives of @skip/@include conditions under which this selection asks for anything: it does where all
     * the conditions of one alternative hold ({@code ... @skip(if: $a) { x } ... @skip(if: $b) { y }}: [[skip a],
     * [skip b]]). Null when some entry is under no condition (it always asks); alternatives that another one's
     * conditions imply, or that cannot hold ({@code @skip(if: $a)} with {@code @include(if: $a)}), are left out.
     */
    List<List<Selection.Condition>> askedWhen() {
        List<List<Selection.Condition>> alternatives = new ArrayList<>();
        for (Object entry : entries.values()) {
            switch (entry) {
                case FieldEntry f -> { return null; }
                case FragmentEntry f -> {
                    List<List<Selection.Condition>> inner = f.children().askedWhen();
                    if (inner == null) return null;
                    alternatives.addAll(inner);
                }
                case ConditionalEntry c -> {
                    List<List<Selection.Condition>> inner = c.children().askedWhen();
                    if (inner == null) {
                        alternatives.add(c.conditions());
                        continue;
                    }
                    for (List<Selection.Condition> alternative : inner) {
                        List<Selection.Condition> all = new ArrayList<>(c.conditions());
                        for (Selection.Condition condition : alternative) if (!all.contains(condition)) all.add(condition);
                        alternatives.add(all);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        List<List<Selection.Condition>> kept = new ArrayList<>();
        for (List<Selection.Condition> alternative : alternatives) {
            boolean contradictory = alternative.stream().anyMatch(c -> alternative.contains(new Selection.Condition(c.variable(), !c.skip())));
            boolean implied = kept.stream().anyMatch(alternative::containsAll);
            if (contradictory || implied) continue;
            kept.removeIf(k -> k.containsAll(alternative));
            kept.add(List.copyOf(alternative));
        }
        return kept;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Marks this as the selection set of a composite-typed field (see {@link #prune()}). */
    void composite() {
        composite = true;
    }

    /**
     * Makes this selection valid to send, at any depth: a fragment left with nothing inside (a condition whose
     * fields all went to another fetch, a type this subgraph never returns here, selections a literal @skip or
     * @include removed) goes, and a composite field left with nothing selected asks for {@code __typename}, as
     * the reference planners do. A subgraph rejects an empty selection set, and with it the whole fetch.
     * Returns whether nothing is left.
     */
    boolean prune() {
        var it = entries.values().iterator();
        while (it.hasNext()) {
            switch (it.next()) {
                case FieldEntry f -> {
                    if (f.children().prune() && f.children().composite) f.children().typename();
                }
                case FragmentEntry f -> { if (f.children().prune()) it.remove(); }
                case ConditionalEntry c -> { if (c.children().prune()) it.remove(); }
                default -> throw new IllegalStateException();
            }
        }
        return entries.isEmpty();
    }

    List<Selection> freeze() {
        List<Selection> out = new ArrayList<>();
        for (Object entry : entries.values()) {
            switch (entry) {
                case FieldEntry f -> out.add(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(),
                        f.children().freeze()));
                case FragmentEntry f -> out.add(new Selection.Fragment(f.typeCondition(), f.children().freeze()));
                case ConditionalEntry c -> out.add(new Selection.Fragment(null, c.children().freeze(), c.conditions()));
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }

    private static boolean sameArguments(List<Argument> a, List<Argument> b) {
        return a.size() == b.size() && print(a).equals(print(b));
    }

    private static String print(List<Argument> arguments) {
        return arguments.stream().map(AstPrinter::printAstCompact).sorted().toList().toString();
    }
}
