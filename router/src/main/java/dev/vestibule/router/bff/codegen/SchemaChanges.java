package dev.vestibule.router.bff.codegen;

import graphql.schema.GraphQLSchema;
import graphql.schema.diff.DiffEvent;
import graphql.schema.diff.DiffLevel;
import graphql.schema.diff.SchemaDiff;
import graphql.schema.diff.SchemaDiffSet;
import graphql.schema.diff.reporting.DifferenceReporter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How one API schema differs from another, each change classified for the clients of the old one: breaking (a field
 * or type removed, a type changed, an argument made required: an operation that ran fails), dangerous (an enum value
 * or union member added, a default changed: operations still validate but may see what they did not expect) or safe
 * (a field, type or optional argument added). graphql-java's SchemaDiff does the comparison, walking from the root
 * types as clients reach them; its events without a category (what it examined) are left out.
 */
public final class SchemaChanges {
    public enum Level { BREAKING, DANGEROUS, SAFE }

    /** One change: its level, graphql-java's category (ADDITION, MISSING, STRICTER, INVALID, ...), the coordinate and why. */
    public record Change(Level level, String category, String coordinate, String reason) {
        public String describe() {
            return level.name().toLowerCase(Locale.ROOT) + " " + coordinate + ": " + reason;
        }
    }

    private SchemaChanges() {}

    /** Every change from {@code before} to {@code after}: breaking first, then dangerous, then safe; each once. */
    public static List<Change> between(GraphQLSchema before, GraphQLSchema after) {
        Set<Change> changes = new LinkedHashSet<>();
        new SchemaDiff().diffSchema(SchemaDiffSet.diffSetFromSdl(before, after), new DifferenceReporter() {
            @Override
            public void report(DiffEvent event) {
                if (event.getCategory() == null) return; // "Examining ..." notes, not changes
                Level level = event.getLevel() == DiffLevel.BREAKING ? Level.BREAKING
                        : event.getLevel() == DiffLevel.DANGEROUS ? Level.DANGEROUS : Level.SAFE;
                String coordinate = event.getFieldName() == null ? event.getTypeName() : event.getTypeName() + "." + event.getFieldName();
                changes.add(new Change(level, event.getCategory().name(), coordinate, event.getReasonMsg().strip()));
            }

            @Override
            public void onEnd() {}
        });
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparing(Change::level)); // stable: the diff's own order within a level
        return sorted;
    }
}
