package dev.vestibule.router.operation;

import graphql.language.Argument;
import graphql.language.Directive;
import java.util.List;

/**
 * An operation's selections after normalization: named fragments inlined, @skip/@include applied. This is what the
 * planner plans and what the response is shaped by.
 */
public sealed interface Selection permits Selection.Field, Selection.Fragment {

    /** A field: its response key (alias or name), arguments as written (variables stay references). */
    record Field(String responseKey, String name, List<Argument> arguments, List<Directive> directives,
                 List<Selection> selections) implements Selection {
        public Field {
            arguments = List.copyOf(arguments);
            directives = List.copyOf(directives);
            selections = List.copyOf(selections);
        }

        public boolean isTypename() {
            return name.equals("__typename");
        }

        public boolean isLeaf() {
            return selections.isEmpty();
        }
    }

    /** An inline fragment (or an inlined named one); typeCondition null means "the enclosing type". */
    record Fragment(String typeCondition, List<Selection> selections) implements Selection {
        public Fragment {
            selections = List.copyOf(selections);
        }
    }
}
