package dev.vestibule.router.planner;

import static dev.vestibule.router.planner.SubgraphCoverage.arguments;

import dev.vestibule.router.operation.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of @requires fields in an entity fetch's representations ({@link OperationWalker#connect}): required
 * fields with arguments get an internal alias, so that other arguments can be fetched beside them, and a
 * representation carries each field once, so fields needing the same required field with other arguments go to
 * another fetch of the same subgraph. Apart from the walk because it is bookkeeping on selections and fetch groups,
 * no question of which subgraph answers what.
 */
final class RequiredArguments {
    private RequiredArguments() {}

    /**
     * The required selection with every field that has arguments, at any depth, under an internal alias: the same
     * field may be selected by the client (or another @requires) with other arguments in the same fetch.
     */
    static List<Selection> withArgumentAliases(List<Selection> required) {
        List<Selection> out = new ArrayList<>(required.size());
        for (Selection selection : required) {
            out.add(switch (selection) {
                case Selection.Field f -> new Selection.Field(
                        f.arguments().isEmpty() ? f.responseKey() : ResponseKeys.requiredWithArguments(f.name(), arguments(f)),
                        f.name(), f.arguments(), f.directives(), withArgumentAliases(f.selections()));
                case Selection.Fragment f -> f.withSelections(withArgumentAliases(f.selections()));
            });
        }
        return out;
    }

    /** Whether a representation of {@code child} already carries one of these fields with other arguments. */
    static boolean conflicts(FetchGroup child, List<Selection> required) {
        Map<String, String> wanted = new HashMap<>();
        argumentsByPath(required, "", wanted);
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            String existing = child.requiredArguments.get(entry.getKey());
            if (existing != null && !existing.equals(entry.getValue())) return true;
        }
        return false;
    }

    /** Records in {@code child} the arguments its representations carry these fields with. */
    static void record(FetchGroup child, List<Selection> required) {
        argumentsByPath(required, "", child.requiredArguments);
    }

    /** The printed arguments of every field with arguments in a required selection, by its path of field names. */
    private static void argumentsByPath(List<Selection> selections, String prefix, Map<String, String> out) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> {
                    if (!f.arguments().isEmpty()) out.put(prefix + f.name(), arguments(f));
                    argumentsByPath(f.selections(), prefix + f.name() + ".", out);
                }
                case Selection.Fragment f -> argumentsByPath(f.selections(), prefix, out);
            }
        }
    }
}
