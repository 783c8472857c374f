package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A query plan is a tree of these: what to fetch from which subgraph, in which order. */
public sealed interface PlanNode permits PlanNode.Sequence, PlanNode.Parallel, PlanNode.Fetch, PlanNode.Flatten, PlanNode.BatchFetch,
        PlanNode.Condition {

    /** Children run one after another; each may use what the earlier ones fetched. */
    record Sequence(List<PlanNode> nodes) implements PlanNode {
        public Sequence {
            nodes = List.copyOf(nodes);
        }
    }

    /** Children run at the same time. */
    record Parallel(List<PlanNode> nodes) implements PlanNode {
        public Parallel {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * One request to one subgraph. For an entity fetch, {@code requires} is what each representation is built from
     * (`__typename` and key fields, plus @requires fields), {@code keys} the key part of it (never sent with a null),
     * and {@code representationTypename}, when set, replaces the
     * object's __typename in the representation (a jump into an @interfaceObject or entity interface).
     */
    record Fetch(String subgraph, String operationName, String operation, List<Selection> selection,
                 List<String> variableUsages, List<Selection> requires, List<Selection> keys,
                 String representationTypename) implements PlanNode {
        public Fetch {
            selection = List.copyOf(selection);
            variableUsages = List.copyOf(variableUsages);
            requires = requires == null ? null : List.copyOf(requires);
            keys = keys == null ? null : List.copyOf(keys);
        }

        /** The response keys this fetch fills at its top level (inside _entities' fragments for an entity fetch). */
        public List<String> topLevelKeys() {
            List<String> keys = new ArrayList<>();
            collectKeys(selection, keys);
            return keys;
        }

        private static void collectKeys(List<Selection> selections, List<String> keys) {
            for (Selection s : selections) {
                switch (s) {
                    case Selection.Field f -> { if (!f.isTypename() && !keys.contains(f.responseKey())) keys.add(f.responseKey()); }
                    case Selection.Fragment f -> collectKeys(f.selections(), keys);
                }
            }
        }

        /** Whether answers carry retyped aliases to remove when merged ({@link ResponseKeys#unalias}). */
        public boolean retypesFields() {
            return ResponseKeys.retypes(operation);
        }

        public boolean isEntityFetch() {
            return requires != null;
        }
    }

    /**
     * Runs an entity fetch for every object found at {@code paths} ("@" steps into every element of a list): one
     * path, or several when fetches to one subgraph that run at the same time were merged into one request.
     * {@code withoutRequiring}, where the fetch carries a @requires field and asks for fields that need none: the same
     * fetch without the fields that need one, its representations keys alone. It is sent only for the objects kept
     * back from the fetch because a required field is missing, its fetch having failed, so that they still get the
     * fields that need no requirement (as they would from Apollo's planner, which asks those in a fetch of their own);
     * it is not part of the printed plan. Only a fetch sent alone has it: a {@link BatchFetch}'s parts keep such
     * objects back without it.
     */
    record Flatten(List<List<String>> paths, Fetch fetch, Flatten withoutRequiring) implements PlanNode {
        public Flatten {
            if (paths.isEmpty()) throw new IllegalArgumentException("an entity fetch needs a path");
            // interned: the steps are looked up in every object along the path, where Jackson's interned keys are
            paths = paths.stream().map(path -> path.stream().map(String::intern).toList()).toList();
        }

        public Flatten(List<List<String>> paths, Fetch fetch) {
            this(paths, fetch, null);
        }

        /** An entity fetch for the objects at one path. */
        public static Flatten at(List<String> path, Fetch fetch) {
            return new Flatten(List.of(path), fetch);
        }
    }

    /**
     * Entity fetches to one subgraph in the same stage whose representations cannot be one list (each carries a field
     * the others carry with other arguments): one request, {@code operation}, in which part i is the {@code _entities}
     * field aliased {@link #alias}(i) over its own variable {@link #representationsVariable}(i). Each part is the entity
     * fetch it stands for (paths, requires, keys, selection), its objects collected and its answer merged as that
     * fetch's would be; {@code variableUsages} are the client's variables any part uses. {@code conditions}: per part,
     * the {@code @skip}/{@code @include} conditions it is asked under beyond those around the whole node (a part
     * whose conditions do not hold is sent no representations). Hive's planner names this node the same.
     */
    record BatchFetch(String subgraph, String operationName, String operation, List<String> variableUsages,
                      List<Flatten> parts, List<List<Selection.Condition>> conditions) implements PlanNode {
        public BatchFetch {
            variableUsages = List.copyOf(variableUsages);
            parts = List.copyOf(parts);
            conditions = conditions.stream().map(List::copyOf).toList();
            if (parts.size() < 2) throw new IllegalArgumentException("a batch holds two entity fetches or more");
            if (conditions.size() != parts.size()) throw new IllegalArgumentException("conditions are per part");
        }

        /** Whether part {@code index} is asked for with these variables (its conditions hold). */
        public boolean asks(int index, Map<String, Object> variables) {
            for (Selection.Condition condition : conditions.get(index)) if (!condition.holds(variables)) return false;
            return true;
        }

        /** The response key of part {@code index}'s {@code _entities} field. */
        public static String alias(int index) {
            return "_e" + index;
        }

        /** The variable (without $) holding part {@code index}'s representations. */
        public static String representationsVariable(int index) {
            return "representations" + index;
        }
    }

    /**
     * Runs {@code ifClause} when the boolean variable is true, {@code elseClause} otherwise (either may be null):
     * {@code @include(if: $variable)} / {@code @skip(if: $variable)} on everything a fetch asks for.
     */
    record Condition(String variable, PlanNode ifClause, PlanNode elseClause) implements PlanNode {}
}
