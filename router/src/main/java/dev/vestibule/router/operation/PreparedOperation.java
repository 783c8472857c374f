package dev.vestibule.router.operation;

import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import java.util.Map;
import java.util.Set;

/**
 * A parsed, validated operation with its variables coerced against the API schema. {@code variables} are the
 * values to forward to subgraphs: the client's, plus defaults of the operation's variable definitions;
 * {@code conditionVariables} are those that @skip/@include read.
 */
public record PreparedOperation(Document document, OperationDefinition operation, Map<String, FragmentDefinition> fragments,
                                Map<String, Object> variables, Set<String> conditionVariables) {
    public OperationDefinition.Operation kind() {
        return operation.getOperation();
    }

    public String name() {
        return operation.getName();
    }
}
