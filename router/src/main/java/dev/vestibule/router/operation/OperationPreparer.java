package dev.vestibule.router.operation;

import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a client operation against the API schema (every rule of the spec, through graphql-java),
 * selects the operation to run and coerces its variables. Parsed and validated documents are cached by query text.
 */
public final class OperationPreparer {
    private final GraphQLSchema apiSchema;
    private final OperationLimits limits;
    private final BoundedCache<String, ValidDocument> validDocuments;

    /** A document that passed validation, with the variables its @skip/@include use (found once, when cached). */
    private record ValidDocument(Document document, Set<String> conditionVariables,
                                 Map<OperationDefinition, OperationSize> sizes) {}

    public OperationPreparer(GraphQLSchema apiSchema, int documentCacheSize) {
        this(apiSchema, documentCacheSize, OperationLimits.DEFAULTS);
    }

    public OperationPreparer(GraphQLSchema apiSchema, int documentCacheSize, OperationLimits limits) {
        this.apiSchema = apiSchema;
        this.limits = limits;
        this.validDocuments = new BoundedCache<>(documentCacheSize);
    }

    public PreparedOperation prepare(GraphQLRequest request) {
        requireQuery(request);
        ValidDocument valid = valid(request.query());
        Document document = valid.document();
        OperationDefinition operation = select(document, request.operationName());
        Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        checkLimits(valid.sizes().get(operation));
        return new PreparedOperation(document, operation, Map.copyOf(fragments), coerce(operation, request.variables()),
                valid.conditionVariables());
    }

    /**
     * The operation for planning only (a plan never depends on the variables' values): parsed and validated against
     * this schema, its variables not coerced. A hot reload plans the operations served most recently with it.
     *
     * @throws RequestError when the operation is not valid on this schema
     */
    public PreparedOperation forPlanning(String query, String operationName) {
        ValidDocument valid = valid(query);
        OperationDefinition operation = select(valid.document(), operationName);
        Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
        valid.document().getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        return new PreparedOperation(valid.document(), operation, Map.copyOf(fragments), Map.of(), valid.conditionVariables());
    }

    /**
     * The kind of operation a request runs (query, mutation, subscription), from the cached document alone: what the
     * GET route needs to refuse mutations, without coercing variables a second time.
     */
    public OperationDefinition.Operation kind(GraphQLRequest request) {
        requireQuery(request);
        ValidDocument valid = valid(request.query());
        return select(valid.document(), request.operationName()).getOperation();
    }

    private static void requireQuery(GraphQLRequest request) {
        if (request.query() == null) {
            throw RequestError.of(400, "the request has no query; send {\"query\": \"...\"}", "BAD_REQUEST");
        }
        if (request.query().isBlank()) {
            throw RequestError.of(400, "the query is empty (only whitespace); send an operation, e.g. {\"query\": \"{ __typename }\"}", "BAD_REQUEST");
        }
    }

    /** The parsed, validated and measured document of a query text, from the cache when seen before. */
    private ValidDocument valid(String query) {
        return validDocuments.computeIfAbsent(query, text -> {
            Document document = parseAndValidate(text);
            return new ValidDocument(document, SelectionNormalizer.conditionVariables(document), measure(document));
        });
    }

    private Document parseAndValidate(String query) {
        Document document;
        try {
            // graphql-java cancels on reaching maxTokens; ours is the most allowed, hence + 1. Whitespace is not a token:
            // its own cap (200,000 runs by default) refused a query padded with blanks as having "more than 15000
            // tokens"; the body size limit and the parser's character limit bound it instead
            document = Parser.parse(ParserEnvironment.newParserEnvironment().document(query)
                    .parserOptions(ParserOptions.getDefaultParserOptions().transform(o -> o.maxTokens(limits.maxTokens() + 1)
                            .maxWhitespaceTokens(Integer.MAX_VALUE)))
                    .build());
        } catch (ParseCancelledTooManyCharsException e) {
            throw RequestError.of(400, "the query has more than " + ParserOptions.getDefaultParserOptions().getMaxCharacters()
                    + " characters; send a shorter one", "MAX_TOKENS_LIMIT");
        } catch (ParseCancelledException e) {
            // graphql-java counts comments against the same limit, each as one token
            throw RequestError.of(400, "the operation has more than " + limits.maxTokens() + " tokens (the limit; a comment counts as one)",
                    "MAX_TOKENS_LIMIT");
        } catch (InvalidSyntaxException e) {
            SourceLocation at = e.getLocation();
            throw new RequestError(400, List.of(GraphQLErrors.located(e.getMessage(),
                    at == null ? List.of() : List.of(GraphQLErrors.location(at.getLine(), at.getColumn())), "GRAPHQL_PARSE_FAILED")));
        }
        List<ValidationError> problems = ParseAndValidate.validate(apiSchema, document, Locale.ENGLISH);
        if (!problems.isEmpty()) {
            throw new RequestError(400, problems.stream().map(p -> toSpec(p, "GRAPHQL_VALIDATION_FAILED")).toList());
        }
        return document;
    }

    /** Measured once per cached document, for each of its operations. */
    private static Map<OperationDefinition, OperationSize> measure(Document document) {
        Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        Map<OperationDefinition, OperationSize> sizes = new IdentityHashMap<>();
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            sizes.put(operation, OperationSize.of(operation.getSelectionSet(), fragments));
        }
        return sizes;
    }

    /** The operation's depth, aliases and root fields against the limits: at a limit passes, above it is refused. */
    private void checkLimits(OperationSize size) {
        if (size.depth() > limits.maxDepth()) {
            throw RequestError.of(400, "the operation is " + size.depth() + " fields deep; the limit is " + limits.maxDepth(), "MAX_DEPTH_LIMIT");
        }
        if (size.aliases() > limits.maxAliases()) {
            throw RequestError.of(400, "the operation uses " + size.aliases() + " aliases; the limit is " + limits.maxAliases(), "MAX_ALIASES_LIMIT");
        }
        if (size.rootFields() > limits.maxRootFields()) {
            throw RequestError.of(400, "the operation has " + size.rootFields() + " root fields; the limit is " + limits.maxRootFields(), "MAX_ROOT_FIELDS_LIMIT");
        }
    }

    private static OperationDefinition select(Document document, String operationName) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null || operationName.isEmpty()) {
            if (operations.size() == 1) return operations.get(0);
            throw RequestError.of(400, "the document has " + operations.size()
                    + " operations; say which to run with operationName", "OPERATION_RESOLUTION_FAILURE");
        }
        return operations.stream().filter(o -> operationName.equals(o.getName())).findFirst()
                .orElseThrow(() -> RequestError.of(400, "unknown operation named \"" + operationName + "\"; the document has "
                        + operations.stream().map(o -> o.getName() == null ? "(anonymous)" : o.getName()).toList(),
                        "OPERATION_RESOLUTION_FAILURE"));
    }

    private Map<String, Object> coerce(OperationDefinition operation, Map<String, Object> raw) {
        List<VariableDefinition> definitions = operation.getVariableDefinitions();
        if (definitions.isEmpty()) return Map.of();
        try {
            CoercedVariables coerced = ValuesResolver.coerceVariableValues(apiSchema, definitions,
                    RawVariables.of(raw), GraphQLContext.getDefault(), Locale.ENGLISH);
            // Forward the client's JSON values (subgraphs coerce them again), with defaults filled in.
            Map<String, Object> forwarded = new LinkedHashMap<>();
            for (VariableDefinition definition : definitions) {
                String name = definition.getName();
                if (raw.containsKey(name)) forwarded.put(name, raw.get(name));
                else if (coerced.containsKey(name)) forwarded.put(name, coerced.get(name));
            }
            return forwarded;
        } catch (RuntimeException e) {
            if (e instanceof GraphQLError error) throw new RequestError(400, List.of(toSpec(error, "BAD_USER_INPUT")));
            throw RequestError.of(400, "invalid variables: " + e.getMessage(), "BAD_USER_INPUT");
        }
    }

    private static Map<String, Object> toSpec(GraphQLError error, String code) {
        List<Map<String, Object>> locations = new ArrayList<>();
        if (error.getLocations() != null) error.getLocations().forEach(l -> locations.add(GraphQLErrors.location(l.getLine(), l.getColumn())));
        return GraphQLErrors.located(error.getMessage(), locations, code);
    }
}
