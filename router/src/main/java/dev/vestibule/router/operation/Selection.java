package dev.vestibule.router.operation;

import graphql.language.Argument;
import graphql.language.Directive;
import java.util.List;
import java.util.Map;

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

        /**
         * A root field of introspection ({@code __schema}, {@code __type}): the router answers it from the API schema
         * itself, so the planner sends it to no subgraph and the shaper writes the router's answer as it is.
         */
        public boolean isIntrospection() {
            return name.equals("__schema") || name.equals("__type");
        }

        public boolean isLeaf() {
            return selections.isEmpty();
        }
    }

    /**
     * An inline fragment (or an inlined named one); typeCondition null means "the enclosing type". {@code conditions}
     * are the @skip/@include on a variable that decide, per request, whether it applies (all must hold); a field with
     * such a condition is normalized into a fragment without type condition around the field.
     */
    record Fragment(String typeCondition, List<Selection> selections, List<Condition> conditions) implements Selection {
        public Fragment {
            selections = List.copyOf(selections);
            conditions = List.copyOf(conditions);
        }

        public Fragment(String typeCondition, List<Selection> selections) {
            this(typeCondition, selections, List.of());
        }

        public Fragment withoutConditions() {
            return new Fragment(typeCondition, selections, List.of());
        }

        public Fragment withSelections(List<Selection> replaced) {
            return new Fragment(typeCondition, replaced, conditions);
        }

        public boolean isConditional() {
            return !conditions.isEmpty();
        }

        /**
         * Whether nothing is selected inside, at any depth of fragments (literal @skip/@include removed every field):
         * such a fragment adds nothing to an answer, whatever the object's type.
         */
        public boolean selectsNothing() {
            for (Selection selection : selections) {
                if (!(selection instanceof Fragment inner) || !inner.selectsNothing()) return false;
            }
            return true;
        }

        /** Whether this fragment's conditions hold for the request's variables. */
        public boolean applies(Map<String, Object> variables) {
            for (Condition condition : conditions) if (!condition.holds(variables)) return false;
            return true;
        }
    }

    /** {@code @include(if: $variable)}, or {@code @skip(if: $variable)} when {@code skip}. */
    record Condition(String variable, boolean skip) {
        public boolean holds(Map<String, Object> variables) {
            return Boolean.TRUE.equals(variables.get(variable)) != skip;
        }

        /** The directive as GraphQL text. */
        public String directive() {
            return (skip ? "@skip" : "@include") + "(if: $" + variable + ")";
        }
    }
}
