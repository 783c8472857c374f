package dev.vestibule.router.bff.codegen;

import graphql.ParseAndValidate;
import graphql.language.Argument;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.MultiSourceReader;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.validation.ValidationError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The operations of one BFF module: every {@code *.graphql} file of its operations directory, parsed with the file's
 * name on every node (so that a problem names file and line), its named operations and the fragments they share
 * across files. {@link #validate} checks each operation, with the fragments it uses, against an API schema.
 */
public final class OperationSet {

    /** One operation and the fragments it uses (transitively), in the order of their names. */
    public record Operation(String name, String type, OperationDefinition definition, List<FragmentDefinition> fragments,
                            String file, int line) {

        /** The operation and its fragments as one executable document. */
        public Document document() {
            List<Definition> definitions = new ArrayList<>();
            definitions.add(definition);
            definitions.addAll(fragments);
            return Document.newDocument().definitions(definitions).build();
        }
    }

    private final String module;
    private final List<Operation> operations;
    private final List<OperationProblem> problems;

    private OperationSet(String module, List<Operation> operations, List<OperationProblem> problems) {
        this.module = module;
        this.operations = operations;
        this.problems = problems;
    }

    /**
     * Reads the {@code *.graphql} files of {@code directory} (sorted by name). Files are named relative to
     * {@code base} in problems (the module's directory: "src/main/graphql/home.graphql").
     */
    public static OperationSet read(String module, Path directory, Path base) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + ": no such directory (a BFF module keeps its operations in src/main/graphql)");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".graphql") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        List<OperationProblem> problems = new ArrayList<>();
        Map<String, OperationDefinition> operationsByName = new TreeMap<>();
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (Path file : files) {
            String name = displayName(file, base);
            Document document;
            try {
                String text = Files.readString(file);
                MultiSourceReader reader = MultiSourceReader.newMultiSourceReader().string(text, name).trackData(false).build();
                document = Parser.parse(ParserEnvironment.newParserEnvironment().document(reader).build());
            } catch (InvalidSyntaxException e) {
                SourceLocation at = e.getLocation();
                problems.add(new OperationProblem(module, name, at == null ? 0 : at.getLine(), at == null ? 0 : at.getColumn(), null, null,
                        "invalid GraphQL: " + e.getMessage()));
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            for (Definition<?> definition : document.getDefinitions()) {
                SourceLocation at = definition.getSourceLocation();
                switch (definition) {
                    case OperationDefinition operation when operation.getName() == null ->
                            problems.add(problem(module, at, null, null, "every BFF operation needs a name (query Home { ... }): the name is how routes and the manifest refer to it"));
                    case OperationDefinition operation when operation.getOperation() == OperationDefinition.Operation.SUBSCRIPTION ->
                            problems.add(problem(module, at, operation.getName(), null, "subscriptions are not BFF operations (only queries and mutations)"));
                    case OperationDefinition operation -> {
                        OperationDefinition earlier = operationsByName.putIfAbsent(operation.getName(), operation);
                        if (earlier != null) {
                            problems.add(problem(module, at, operation.getName(), null, "a second operation named " + operation.getName()
                                    + " (the first is at " + where(earlier.getSourceLocation()) + "); names must be unique in a module"));
                        }
                    }
                    case FragmentDefinition fragment -> {
                        FragmentDefinition earlier = fragments.putIfAbsent(fragment.getName(), fragment);
                        if (earlier != null) {
                            problems.add(problem(module, at, null, null, "a second fragment named " + fragment.getName()
                                    + " (the first is at " + where(earlier.getSourceLocation()) + ")"));
                        }
                    }
                    default -> problems.add(problem(module, at, null, null,
                            "only operations and fragments belong in a BFF module's operations (found a schema definition)"));
                }
            }
        }
        List<Operation> operations = new ArrayList<>();
        for (OperationDefinition definition : operationsByName.values()) {
            Set<String> used = new TreeSet<>();
            List<String> missing = new ArrayList<>();
            collectFragments(definition.getSelectionSet(), fragments, used, missing);
            for (String name : missing) {
                problems.add(problem(module, definition.getSourceLocation(), definition.getName(), null,
                        "uses the fragment " + name + ", which no file of the module defines"));
            }
            SourceLocation at = definition.getSourceLocation();
            operations.add(new Operation(definition.getName(), definition.getOperation().name().toLowerCase(Locale.ROOT), definition,
                    used.stream().filter(fragments::containsKey).map(fragments::get).toList(), at.getSourceName(), at.getLine()));
        }
        return new OperationSet(module, List.copyOf(operations), problems);
    }

    public String module() {
        return module;
    }

    public List<Operation> operations() {
        return operations;
    }

    /** What is wrong with the files themselves (syntax, unnamed or duplicate operations), whatever the schema. */
    public List<OperationProblem> problems() {
        return problems;
    }

    /** Every problem of the files, then of each operation against {@code schema} (an API schema). Empty: all fit. */
    public List<OperationProblem> validate(GraphQLSchema schema) {
        List<OperationProblem> all = new ArrayList<>(problems);
        for (Operation operation : operations) all.addAll(validate(operation, schema));
        return all;
    }

    List<OperationProblem> validate(Operation operation, GraphQLSchema schema) {
        List<ValidationError> errors = ParseAndValidate.validate(schema, operation.document(), Locale.ENGLISH);
        if (errors.isEmpty()) return List.of();
        Map<String, String> coordinates = new Coordinates(schema, operation).byLocation();
        List<OperationProblem> found = new ArrayList<>();
        for (ValidationError error : errors) {
            SourceLocation at = error.getLocations() == null || error.getLocations().isEmpty() ? operation.definition().getSourceLocation()
                    : error.getLocations().get(0);
            String field = coordinates.get(key(at));
            found.add(problem(module, at, operation.name(), field, describe(error)));
        }
        return found;
    }

    /** graphql-java's description without its "Validation error (Kind@[path]) : " prefix; the path as a.b.c after it. */
    private static String describe(ValidationError error) {
        String description = error.getDescription() == null ? error.getMessage() : error.getDescription();
        if (description.startsWith("Validation error (")) {
            int end = description.indexOf(") : ");
            if (end > 0) description = description.substring(end + 4);
        }
        List<String> path = error.getQueryPath();
        return description + (path == null || path.isEmpty() ? "" : " (at " + String.join(".", path) + ")");
    }

    private static void collectFragments(SelectionSet set, Map<String, FragmentDefinition> fragments, Set<String> used, List<String> missing) {
        if (set == null) return;
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> collectFragments(field.getSelectionSet(), fragments, used, missing);
                case InlineFragment inline -> collectFragments(inline.getSelectionSet(), fragments, used, missing);
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragments.get(spread.getName());
                    if (definition == null) {
                        if (!missing.contains(spread.getName())) missing.add(spread.getName());
                    } else if (used.add(spread.getName())) {
                        collectFragments(definition.getSelectionSet(), fragments, used, missing);
                    }
                }
                default -> { }
            }
        }
    }

    static OperationProblem problem(String module, SourceLocation at, String operation, String field, String message) {
        return new OperationProblem(module, at == null || at.getSourceName() == null ? "?" : at.getSourceName(),
                at == null ? 0 : at.getLine(), at == null ? 0 : at.getColumn(), operation, field, message);
    }

    private static String where(SourceLocation at) {
        return at.getSourceName() + ":" + at.getLine();
    }

    private static String displayName(Path file, Path base) {
        Path absolute = file.toAbsolutePath().normalize();
        Path from = base.toAbsolutePath().normalize();
        return (absolute.startsWith(from) ? from.relativize(absolute) : absolute).toString().replace('\\', '/');
    }

    static String key(SourceLocation at) {
        return at == null ? "" : at.getSourceName() + ":" + at.getLine() + ":" + at.getColumn();
    }

    /**
     * The schema coordinate of every field and argument of an operation, by where it is written: what a validation
     * error at that place is about. Walks the selections with the types the schema gives, as far as they exist.
     */
    private static final class Coordinates {
        private final GraphQLSchema schema;
        private final Operation operation;
        private final Map<String, String> byLocation = new LinkedHashMap<>();
        private final Map<String, FragmentDefinition> fragments = new HashMap<>();

        Coordinates(GraphQLSchema schema, Operation operation) {
            this.schema = schema;
            this.operation = operation;
            operation.fragments().forEach(f -> fragments.put(f.getName(), f));
        }

        Map<String, String> byLocation() {
            OperationDefinition definition = operation.definition();
            GraphQLType root = switch (definition.getOperation()) {
                case QUERY -> schema.getQueryType();
                case MUTATION -> schema.getMutationType();
                case SUBSCRIPTION -> schema.getSubscriptionType();
            };
            String rootName = root == null ? definition.getOperation().name().toLowerCase(Locale.ROOT) : ((GraphQLCompositeType) root).getName();
            for (VariableDefinition variable : definition.getVariableDefinitions()) {
                byLocation.put(key(variable.getSourceLocation()), "$" + variable.getName());
            }
            walk(definition.getSelectionSet(), root, rootName, new HashSet<>());
            return byLocation;
        }

        private void walk(SelectionSet set, GraphQLType parent, String parentName, Set<String> fragmentsOnPath) {
            if (set == null) return;
            for (Selection<?> selection : set.getSelections()) {
                switch (selection) {
                    case Field field -> {
                        String coordinate = parentName + "." + field.getName();
                        put(field, coordinate);
                        for (Argument argument : field.getArguments()) put(argument, coordinate + "(" + argument.getName() + ":)");
                        GraphQLFieldDefinition definition = parent instanceof GraphQLFieldsContainer container
                                ? container.getFieldDefinition(field.getName()) : null;
                        GraphQLType type = definition == null ? null : GraphQLTypeUtil.unwrapAll(definition.getType());
                        walk(field.getSelectionSet(), type, type instanceof GraphQLCompositeType c ? c.getName() : "?", fragmentsOnPath);
                    }
                    case InlineFragment inline -> {
                        GraphQLType type = inline.getTypeCondition() == null ? parent : schema.getType(inline.getTypeCondition().getName());
                        String name = inline.getTypeCondition() == null ? parentName : inline.getTypeCondition().getName();
                        walk(inline.getSelectionSet(), type, name, fragmentsOnPath);
                    }
                    case FragmentSpread spread -> {
                        FragmentDefinition fragment = fragments.get(spread.getName());
                        if (fragment != null && fragmentsOnPath.add(spread.getName())) {
                            String name = fragment.getTypeCondition().getName();
                            walk(fragment.getSelectionSet(), schema.getType(name), name, fragmentsOnPath);
                            fragmentsOnPath.remove(spread.getName());
                        }
                    }
                    default -> { }
                }
            }
        }

        private void put(Node<?> node, String coordinate) {
            byLocation.putIfAbsent(key(node.getSourceLocation()), coordinate);
        }
    }
}
