package dev.vestibule.router.composition;

import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Parses the field-set string of @key, @requires and @provides as the selection set it stands for. */
final class FieldSetParser {
    /**
     * Parsed field sets by text: a composition parses the same few ("id", "sku") thousands of times, and each parse
     * sets up a whole parser. The AST is immutable, so sharing it is safe; the bound keeps a long-lived process small.
     */
    private static final Map<String, SelectionSet> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 10_000;

    private FieldSetParser() {}

    static SelectionSet parse(String text) {
        SelectionSet cached = PARSED.get(text);
        if (cached != null) return cached;
        OperationDefinition operation = (OperationDefinition) Parser.parse("{" + text + "}").getDefinitions().get(0);
        SelectionSet parsed = operation.getSelectionSet();
        if (PARSED.size() >= MAX_CACHED) PARSED.clear();
        PARSED.put(text, parsed);
        return parsed;
    }
}
