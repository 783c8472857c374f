package dev.vestibule.router.operation;

import graphql.language.Argument;
import graphql.language.Directive;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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

    /**
     * Whether the selections need the concrete type of an object of interface {@code iface} (an @interfaceObject's
     * objects do not carry it): its __typename, or something in a fragment on another type than the interface itself
     * ({@code ... on Admin { }}, emptied by a literal condition, asks for nothing). {@code counts} says which
     * fragments count: the planner counts all (it asks under their conditions), the response shaper those whose
     * conditions hold for the request. One rule for both: where they differed, the planner fetched no type and the
     * shaper still wanted one.
     */
    static boolean needsConcreteType(String iface, List<Selection> selections, Predicate<Fragment> counts) {
        for (Selection selection : selections) if (needsConcreteType(iface, selection, counts)) return true;
        return false;
    }

    static boolean needsConcreteType(String iface, Selection selection, Predicate<Fragment> counts) {
        return switch (selection) {
            case Field f -> f.isTypename();
            case Fragment f when !counts.test(f) -> false;
            case Fragment f when f.typeCondition() != null && !f.typeCondition().equals(iface) -> !f.selectsNothing();
            case Fragment f -> needsConcreteType(iface, f.selections(), counts);
        };
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
