package dev.vestibule.router.bff.codegen;

import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the operations of BFF modules (their {@code src/main/graphql}) against an API schema, offline: the same
 * validation as the modules' builds, so that {@code vestibule check} and the build name the same problems.
 *
 * <p>Validation sees the operation's text only. What a module sends in its variables comes from records generated
 * from the schema the module was built on: when that schema is known ({@code before}), an input field it had and the
 * new one lacks, a new required input field, or an enum value gone from an input enum breaks the operation too,
 * though its text still validates.
 */
public final class BffCheck {
    /** What a check of some modules found: how many operations it checked, and every problem. */
    public record Report(int operations, List<OperationProblem> problems) {}

    private BffCheck() {}

    /**
     * @param modules the modules' directories (their names are the directories' names)
     * @param base    what file names in problems are relative to (the working directory)
     * @param before  the API schema the modules were built on, or null when unknown
     */
    public static Report check(List<Path> modules, Path base, GraphQLSchema api, GraphQLSchema before) {
        int operations = 0;
        List<OperationProblem> problems = new ArrayList<>();
        for (Path module : modules) {
            Path graphql = module.resolve("src/main/graphql");
            if (!Files.isDirectory(graphql)) {
                throw new IllegalArgumentException(module + ": not a BFF module (no src/main/graphql directory)");
            }
            OperationSet set = OperationSet.read(module.toAbsolutePath().normalize().getFileName().toString(), graphql, base);
            operations += set.operations().size();
            problems.addAll(set.problems());
            for (OperationSet.Operation operation : set.operations()) {
                List<OperationProblem> found = set.validate(operation, api);
                if (found.isEmpty() && before != null) found = variableInputs(set.module(), operation, before, api);
                problems.addAll(found);
            }
        }
        return new Report(operations, List.copyOf(problems));
    }

    /** What the generated variables records, made from {@code before}, would send that {@code after} no longer takes. */
    private static List<OperationProblem> variableInputs(String module, OperationSet.Operation operation, GraphQLSchema before,
                                                         GraphQLSchema after) {
        List<OperationProblem> problems = new ArrayList<>();
        for (VariableDefinition variable : operation.definition().getVariableDefinitions()) {
            compare(module, operation, variable, before.getType(typeName(variable.getType())), after, new HashSet<>(), problems);
        }
        return problems;
    }

    private static void compare(String module, OperationSet.Operation operation, VariableDefinition variable, GraphQLType old,
                                GraphQLSchema after, Set<String> seen, List<OperationProblem> problems) {
        switch (old) {
            case GraphQLInputObjectType input when seen.add(input.getName())
                    && after.getType(input.getName()) instanceof GraphQLInputObjectType now -> {
                for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                    if (now.getField(field.getName()) == null) {
                        problems.add(problem(module, operation, variable, input.getName() + "." + field.getName(),
                                "the input field is gone, and the generated " + input.getName() + " record of $" + variable.getName()
                                        + " sends it (rebuild the module and drop it from the routes)"));
                    } else {
                        compare(module, operation, variable, GraphQLTypeUtil.unwrapAll(field.getType()), after, seen, problems);
                    }
                }
                for (GraphQLInputObjectField field : now.getFieldDefinitions()) {
                    if (input.getField(field.getName()) == null && field.getType() instanceof GraphQLNonNull && !field.hasSetDefaultValue()) {
                        problems.add(problem(module, operation, variable, now.getName() + "." + field.getName(),
                                "a new required input field, which $" + variable.getName() + " as built does not send"));
                    }
                }
            }
            case GraphQLEnumType values when seen.add(values.getName()) && after.getType(values.getName()) instanceof GraphQLEnumType now -> {
                for (GraphQLEnumValueDefinition value : values.getValues()) {
                    if (now.getValue(value.getName()) == null) {
                        problems.add(problem(module, operation, variable, values.getName() + "." + value.getName(),
                                "the enum value is gone, and $" + variable.getName() + " may send it"));
                    }
                }
            }
            default -> { }
        }
    }

    private static OperationProblem problem(String module, OperationSet.Operation operation, VariableDefinition variable, String field,
                                            String message) {
        return OperationSet.problem(module, variable.getSourceLocation(), operation.name(), field, message);
    }

    private static String typeName(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> typeName(nonNull.getType());
            case ListType list -> typeName(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalStateException("unexpected type " + type);
        };
    }
}
