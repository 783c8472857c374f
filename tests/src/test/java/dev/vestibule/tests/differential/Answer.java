package dev.vestibule.tests.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway's response as the differential tester compares it: {@code data} (a {@link MissingNode} when the response
 * has none, distinct from {@code null}) and whether it has errors; the raw response is kept for the record.
 * {@code noAnswer} says why a reference gave no GraphQL response at all (its process died, it hung, it threw), null
 * when it answered: such an answer agrees with nothing, not even another one like it.
 */
public record Answer(JsonNode data, boolean hasErrors, JsonNode raw, long micros, String noAnswer) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public static Answer of(JsonNode response, long micros) {
        JsonNode errors = response.path("errors");
        return new Answer(response.has("data") ? response.get("data") : MissingNode.getInstance(),
                errors.isArray() && !errors.isEmpty(), response, micros, null);
    }

    /** No GraphQL response: {@code why} is recorded in place of one. */
    public static Answer none(String why, long micros) {
        String reason = why == null ? "no answer" : why;
        return new Answer(MissingNode.getInstance(), true, NODES.objectNode().put("noAnswer", reason), micros, reason);
    }

    public boolean answered() {
        return noAnswer == null;
    }

    /**
     * Numbers compare by value, as JSON means them (a gateway that writes a Float's 12233 as {@code 12233.0} says the
     * same as one that passes the subgraph's {@code 12233} through); everything else by {@link JsonNode#equals}.
     */
    private static final Comparator<JsonNode> JSON_VALUES = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    static boolean same(JsonNode a, JsonNode b) {
        return a.equals(JSON_VALUES, b);
    }

    /** Same data (deep-equal, arrays in order, {@code null} not the same as a missing key) and same presence of errors. */
    public boolean agrees(Answer other) {
        return answered() && other.answered() && same(data, other.data) && hasErrors == other.hasErrors;
    }

    /** How an answer differs from the reference's: the kind of difference, and the path of the first differing value. */
    public record Difference(Kind kind, String path) {
        public String describe() {
            return kind.label + (path.isEmpty() ? "" : " at " + path);
        }
    }

    public enum Kind {
        /** The reference has a value where this answer has {@code null} (or no data at all). */
        NULL_WHERE_REFERENCE_HAS_DATA("null where the reference has data"),
        /** This answer has a value where the reference has {@code null}. */
        DATA_WHERE_REFERENCE_IS_NULL("data where the reference has null"),
        /** Both have a value there, and they differ (or a key is missing on one side). */
        OTHER_DATA("other data"),
        /** Same data; this answer has errors, the reference none. */
        EXTRA_ERRORS("errors the reference does not have"),
        /** Same data; the reference has errors, this answer none. */
        MISSING_ERRORS("no errors where the reference has some"),
        /**
         * No errors, though a subgraph this gateway asked failed ({@link FailingSubgraphs}): whatever the references
         * answer, a failure must surface as an error somewhere.
         */
        SILENT_FAILURE("no errors though a subgraph it asked failed");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** How this answer differs from the reference's, or empty when they agree. */
    public Optional<Difference> differenceFrom(Answer reference) {
        if (agrees(reference)) return Optional.empty();
        if (same(data, reference.data)) {
            return Optional.of(new Difference(hasErrors ? Kind.EXTRA_ERRORS : Kind.MISSING_ERRORS, ""));
        }
        return Optional.of(firstDifference(data, reference.data, ""));
    }

    private static Difference firstDifference(JsonNode mine, JsonNode theirs, String path) {
        boolean mineNull = mine.isMissingNode() || mine.isNull();
        boolean theirsNull = theirs.isMissingNode() || theirs.isNull();
        if (mineNull && !theirsNull) return new Difference(Kind.NULL_WHERE_REFERENCE_HAS_DATA, path);
        if (!mineNull && theirsNull) return new Difference(Kind.DATA_WHERE_REFERENCE_IS_NULL, path);
        if (mine.isObject() && theirs.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = theirs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode other = mine.path(entry.getKey());
                if (!same(other, entry.getValue())) {
                    return firstDifference(other, entry.getValue(), path.isEmpty() ? entry.getKey() : path + "." + entry.getKey());
                }
            }
            return new Difference(Kind.OTHER_DATA, path + " (keys the reference does not have)");
        }
        if (mine.isArray() && theirs.isArray() && mine.size() == theirs.size()) {
            for (int i = 0; i < mine.size(); i++) {
                if (!same(mine.get(i), theirs.get(i))) return firstDifference(mine.get(i), theirs.get(i), path + "." + i);
            }
        }
        return new Difference(Kind.OTHER_DATA, path);
    }
}
