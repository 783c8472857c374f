package dev.vestibule.router.supergraph;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;

/** A field set of @key, @requires or @provides: its text and its parsed selection set. */
public record FieldSet(String text, SelectionSet selections) {

    public static FieldSet parse(String text, String where) {
        try {
            Document document = Parser.parse("{" + text + "}");
            OperationDefinition operation = (OperationDefinition) document.getDefinitions().get(0);
            return new FieldSet(text, operation.getSelectionSet());
        } catch (InvalidSyntaxException | ClassCastException e) {
            throw new SupergraphException("invalid field set \"" + text + "\" in " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
