package dev.vestibule.router.operation;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.HashMap;
import java.util.Map;

/**
 * How much an operation asks for, as the limits count it: the deepest field nesting, the aliases and the root fields,
 * with fragments expanded where they are spread. Each fragment is measured once, so a document that spreads
 * fragments into fragments cannot make the count itself expensive.
 */
record OperationSize(long depth, long aliases, long rootFields) {
    private static final long CAP = Long.MAX_VALUE / 4;

    static OperationSize of(SelectionSet root, Map<String, FragmentDefinition> fragments) {
        Counter counter = new Counter(fragments);
        Counted counted = counter.count(root);
        return new OperationSize(counted.depth, counted.aliases, counter.fields(root));
    }

    private record Counted(long depth, long aliases) {}

    private static final class Counter {
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Counted> byFragment = new HashMap<>();

        Counter(Map<String, FragmentDefinition> fragments) {
            this.fragments = fragments;
        }

        Counted count(SelectionSet set) {
            long depth = 0;
            long aliases = 0;
            if (set == null) return new Counted(0, 0);
            for (Selection<?> selection : set.getSelections()) {
                Counted inner = switch (selection) {
                    case Field field -> {
                        Counted child = count(field.getSelectionSet());
                        yield new Counted(1 + child.depth, child.aliases + (field.getAlias() != null ? 1 : 0));
                    }
                    case InlineFragment fragment -> count(fragment.getSelectionSet());
                    case FragmentSpread spread -> fragment(spread.getName());
                    default -> new Counted(0, 0);
                };
                depth = Math.max(depth, inner.depth);
                aliases = Math.min(CAP, aliases + inner.aliases);
            }
            return new Counted(depth, aliases);
        }

        private Counted fragment(String name) {
            Counted known = byFragment.get(name);
            if (known != null) return known;
            byFragment.put(name, new Counted(0, 0)); // validation refuses cycles; this only guards the walk
            FragmentDefinition definition = fragments.get(name);
            Counted counted = definition == null ? new Counted(0, 0) : count(definition.getSelectionSet());
            byFragment.put(name, counted);
            return counted;
        }

        long fields(SelectionSet set) {
            long n = 0;
            for (Selection<?> selection : set.getSelections()) {
                n += switch (selection) {
                    case Field ignored -> 1;
                    case InlineFragment fragment -> fields(fragment.getSelectionSet());
                    case FragmentSpread spread -> fragments.containsKey(spread.getName()) ? fields(fragments.get(spread.getName()).getSelectionSet()) : 0;
                    default -> 0;
                };
            }
            return n;
        }
    }
}
