package dev.vestibule.router.operation;

import java.util.Map;

/** A client's GraphQL request as it arrived (JSON body or GET parameters). */
public record GraphQLRequest(String query, String operationName, Map<String, Object> variables,
                             Map<String, Object> extensions) {
    public GraphQLRequest {
        variables = variables == null ? Map.of() : variables;
        extensions = extensions == null ? Map.of() : extensions;
    }
}
