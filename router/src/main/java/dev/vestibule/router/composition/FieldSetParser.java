package dev.vestibule.router.composition;

import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.parser.Parser;

/** Parses the field-set string of @key, @requires and @provides as the selection set it stands for. */
final class FieldSetParser {
    private FieldSetParser() {}

    static SelectionSet parse(String text) {
        OperationDefinition operation = (OperationDefinition) Parser.parse("{" + text + "}").getDefinitions().get(0);
        return operation.getSelectionSet();
    }
}
