package dev.vestibule.tests.differential;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random valid operations over an API schema (graphql-java types): aliases, named fragments (nested, spread again),
 * inline fragments with and without a type condition (on the type itself, its interfaces, the unions it is in, the
 * implementations of an abstract type), {@code @skip}/{@code @include} with literals and with variables (non-null,
 * or nullable with a default, given or not), {@code __typename} anywhere, arguments with values of their types (taken
 * from a {@link ValuePool} of values the subgraphs returned where there are some), several root fields, mutations
 * when asked. The same seed and pool give the same operation. Each operation is checked with graphql-java's
 * {@link Validator}; a draft that fails (two fields of one response key with different shapes, which the generator
 * avoids but does not prove) is thrown away and another drawn from the same random sequence.
 */
public final class OperationGenerator {
    /** Bounds: field depth, selections per selection set, fields in the whole operation, root fields; mutations. */
    public record Options(int maxDepth, int maxSelections, int maxFields, int maxRootFields, boolean mutations) {
        public static final Options DEFAULTS = new Options(5, 4, 30, 3, false);

        public Options withMutations(boolean on) {
            return new Options(maxDepth, maxSelections, maxFields, maxRootFields, on);
        }
    }

    /** An enum value: a bare name in a literal, a string in the variables. */
    private record EnumLiteral(String name) {}

    private static final int ATTEMPTS = 200;
    private final GraphQLSchema schema;
    private final Options options;
    private final ValuePool pool;
    private final Map<String, List<GraphQLUnionType>> unionsOf = new LinkedHashMap<>();

    public OperationGenerator(GraphQLSchema schema, Options options, ValuePool pool) {
        this.schema = schema;
        this.options = options;
        this.pool = pool;
        for (GraphQLNamedType type : schema.getAllTypesAsList()) {
            if (type instanceof GraphQLUnionType union && !union.getName().startsWith("__")) {
                union.getTypes().forEach(member -> unionsOf.computeIfAbsent(member.getName(), n -> new ArrayList<>()).add(union));
            }
        }
    }

    public GraphQLSchema schema() {
        return schema;
    }

    /** The operation of this seed (given the pool's current values); always valid against the schema. */
    public GeneratedOperation generate(long seed) {
        // seeds 0, 1, 2... would start java.util.Random on correlated first draws: mix them first
        Random random = new Random(new SplittableRandom(seed).nextLong());
        List<String> lastErrors = List.of();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GeneratedOperation draft = new Draft(random).operation();
            if (draft == null) continue;
            List<ValidationError> errors = validate(schema, draft.document());
            if (errors.isEmpty()) return draft;
            lastErrors = errors.stream().map(ValidationError::getMessage).toList();
        }
        throw new IllegalStateException("no valid operation in " + ATTEMPTS + " drafts for seed " + seed + "; last: " + lastErrors);
    }

    public static List<ValidationError> validate(GraphQLSchema schema, Document document) {
        return new Validator().validateDocument(schema, document, Locale.ENGLISH);
    }

    /** One operation being drawn: its fragments, variables and the response keys used so far. */
    private final class Draft {
        private final Random random;
        private final List<FragmentDefinition> fragments = new ArrayList<>();
        private final Map<String, GraphQLCompositeType> fragmentTypes = new LinkedHashMap<>();
        private final Set<String> fragmentsInProgress = new LinkedHashSet<>();
        private final List<VariableDefinition> variableDefinitions = new ArrayList<>();
        private final Map<String, Object> variables = new LinkedHashMap<>();
        private final List<String> booleanVariables = new ArrayList<>();
        // a response key without an alias always gets the same arguments and shape, so that the fields it names merge
        private final Map<String, String> shapeOfKey = new LinkedHashMap<>();
        private final Map<String, List<Argument>> argumentsOfKey = new LinkedHashMap<>();
        private int fields;
        private int aliases;

        Draft(Random random) {
            this.random = random;
        }

        GeneratedOperation operation() {
            boolean mutation = options.mutations() && schema.getMutationType() != null && random.nextInt(4) == 0;
            GraphQLObjectType root = mutation ? schema.getMutationType() : schema.getQueryType();
            List<Selection<?>> selections = new ArrayList<>();
            int roots = 1 + random.nextInt(options.maxRootFields());
            for (int i = 0; i < roots * 3 && selections.size() < roots; i++) {
                Selection<?> selection = mutation ? field(root, 1) : selection(root, 1);
                if (selection != null) selections.add(selection);
            }
            if (selections.isEmpty()) return null;
            OperationDefinition operation = OperationDefinition.newOperationDefinition()
                    .name(mutation ? "M" : "Q")
                    .operation(mutation ? OperationDefinition.Operation.MUTATION : OperationDefinition.Operation.QUERY)
                    .variableDefinitions(variableDefinitions)
                    .selectionSet(new SelectionSet(selections)).build();
            Document.Builder document = Document.newDocument().definition(operation);
            fragments.forEach(document::definition);
            return new GeneratedOperation(document.build(), variables);
        }

        private SelectionSet selectionSet(GraphQLCompositeType type, int depth) {
            List<Selection<?>> selections = new ArrayList<>();
            int wanted = 1 + random.nextInt(options.maxSelections());
            for (int i = 0; i < wanted * 3 && selections.size() < wanted; i++) {
                Selection<?> selection = selection(type, depth);
                if (selection != null) selections.add(selection);
            }
            if (selections.isEmpty()) selections.add(typename());
            return new SelectionSet(selections);
        }

        private Selection<?> selection(GraphQLCompositeType type, int depth) {
            // past the depth bound, no more fragments: the operation stays finite
            int roll = depth > options.maxDepth() ? 32 + random.nextInt(68) : random.nextInt(100);
            if (roll < 10) return typename();
            if (roll < 22) return inlineFragment(type, depth);
            if (roll < 32) return fragmentSpread(type, depth);
            if (type instanceof GraphQLUnionType) {
                return depth <= options.maxDepth() && random.nextBoolean() ? inlineFragment(type, depth) : typename();
            }
            return field((GraphQLFieldsContainer) type, depth);
        }

        private Field typename() {
            Field.Builder field = Field.newField("__typename");
            if (random.nextInt(5) == 0) field.alias(alias());
            return field.directives(directives()).build();
        }

        private Field field(GraphQLFieldsContainer type, int depth) {
            if (fields >= options.maxFields()) return null;
            List<GraphQLFieldDefinition> candidates = type.getFieldDefinitions().stream()
                    .filter(f -> !f.getName().startsWith("__"))
                    .filter(f -> depth < options.maxDepth() || GraphQLTypeUtil.isLeaf(GraphQLTypeUtil.unwrapAll(f.getType())))
                    .toList();
            if (candidates.isEmpty()) return null;
            GraphQLFieldDefinition definition = candidates.get(random.nextInt(candidates.size()));
            String shape = GraphQLTypeUtil.simplePrint(definition.getType());
            String key = definition.getName();
            boolean aliased = random.nextInt(5) == 0;
            Optional<List<Argument>> arguments;
            if (!aliased && shapeOfKey.containsKey(key) && shapeOfKey.get(key).equals(shape) && fits(argumentsOfKey.get(key), definition)) {
                // the key is taken by a field of the same shape: the same arguments, so that the two merge
                arguments = Optional.of(argumentsOfKey.get(key));
            } else {
                // a key taken by another shape needs an alias
                aliased |= shapeOfKey.containsKey(key);
                arguments = arguments(definition);
            }
            if (arguments.isEmpty()) return null;
            fields++;
            Field.Builder field = Field.newField(definition.getName());
            if (aliased) {
                field.alias(alias());
            } else {
                shapeOfKey.put(key, shape);
                argumentsOfKey.put(key, arguments.get());
            }
            field.arguments(arguments.get()).directives(directives());
            if (GraphQLTypeUtil.unwrapAll(definition.getType()) instanceof GraphQLCompositeType composite) {
                field.selectionSet(selectionSet(composite, depth + 1));
            }
            return field.build();
        }

        private boolean fits(List<Argument> arguments, GraphQLFieldDefinition definition) {
            Set<String> given = new LinkedHashSet<>();
            for (Argument argument : arguments) {
                if (definition.getArgument(argument.getName()) == null) return false;
                given.add(argument.getName());
            }
            return definition.getArguments().stream().allMatch(a -> given.contains(a.getName()) || !required(a));
        }

        private InlineFragment inlineFragment(GraphQLCompositeType type, int depth) {
            if (fields >= options.maxFields()) return null;
            InlineFragment.Builder fragment = InlineFragment.newInlineFragment();
            GraphQLCompositeType condition = type;
            if (random.nextInt(4) != 0) {
                condition = typeCondition(type);
                fragment.typeCondition(new TypeName(condition.getName()));
            }
            return fragment.directives(directives()).selectionSet(selectionSet(condition, depth + 1)).build();
        }

        private FragmentSpread fragmentSpread(GraphQLCompositeType type, int depth) {
            if (fields >= options.maxFields()) return null;
            // spread a fragment again where its type fits (repeated fragments), or define a new one
            List<String> reusable = fragmentTypes.entrySet().stream()
                    .filter(e -> !fragmentsInProgress.contains(e.getKey()) && overlaps(e.getValue(), type))
                    .map(Map.Entry::getKey).toList();
            String name;
            if (!reusable.isEmpty() && random.nextInt(3) != 0) {
                name = reusable.get(random.nextInt(reusable.size()));
            } else {
                name = "F" + (fragmentTypes.size() + fragmentsInProgress.size() + 1);
                while (fragmentTypes.containsKey(name) || fragmentsInProgress.contains(name)) name = name + "x";
                GraphQLCompositeType condition = typeCondition(type);
                fragmentsInProgress.add(name);
                SelectionSet body = selectionSet(condition, depth + 1);
                fragmentsInProgress.remove(name);
                fragments.add(FragmentDefinition.newFragmentDefinition().name(name)
                        .typeCondition(new TypeName(condition.getName())).selectionSet(body).build());
                fragmentTypes.put(name, condition);
            }
            return FragmentSpread.newFragmentSpread(name).directives(directives()).build();
        }

        /** The type itself, an implementation or member, an interface or union of one of its possible types. */
        private GraphQLCompositeType typeCondition(GraphQLCompositeType type) {
            List<GraphQLCompositeType> choices = new ArrayList<>();
            choices.add(type);
            for (GraphQLObjectType possible : possibleTypes(type)) {
                choices.add(possible);
                possible.getInterfaces().forEach(i -> choices.add((GraphQLInterfaceType) i));
                choices.addAll(unionsOf.getOrDefault(possible.getName(), List.of()));
            }
            return choices.get(random.nextInt(choices.size()));
        }

        private boolean overlaps(GraphQLCompositeType a, GraphQLCompositeType b) {
            if (a.getName().equals(b.getName())) return true;
            Set<String> names = new LinkedHashSet<>();
            possibleTypes(a).forEach(t -> names.add(t.getName()));
            return possibleTypes(b).stream().anyMatch(t -> names.contains(t.getName()));
        }

        private List<Directive> directives() {
            List<Directive> directives = new ArrayList<>();
            int roll = random.nextInt(100);
            if (roll < 8) directives.add(condition("skip"));
            else if (roll < 16) directives.add(condition("include"));
            else if (roll < 18) {
                directives.add(condition("skip"));
                directives.add(condition("include"));
            }
            return directives;
        }

        private Directive condition(String name) {
            Value<?> value;
            int roll = random.nextInt(10);
            if (roll < 4) {
                value = new BooleanValue(random.nextBoolean());
            } else if (roll < 6 && !booleanVariables.isEmpty()) {
                value = new VariableReference(booleanVariables.get(random.nextInt(booleanVariables.size())));
            } else {
                String variable = "v" + (variableDefinitions.size() + 1);
                int kind = random.nextInt(3);
                if (kind == 0) {
                    // non-null, always given
                    variableDefinitions.add(new VariableDefinition(variable, new NonNullType(new TypeName("Boolean"))));
                    variables.put(variable, random.nextBoolean());
                } else {
                    // nullable with a default: left out (the default applies) or given
                    variableDefinitions.add(new VariableDefinition(variable, new TypeName("Boolean"), new BooleanValue(random.nextBoolean())));
                    if (kind == 2) variables.put(variable, random.nextBoolean());
                }
                booleanVariables.add(variable);
                value = new VariableReference(variable);
            }
            return Directive.newDirective().name(name).arguments(List.of(new Argument("if", value))).build();
        }

        private String alias() {
            return "a" + (++aliases);
        }

        /** Every required argument and some optional ones, or empty when a required one has no value to give. */
        private Optional<List<Argument>> arguments(GraphQLFieldDefinition definition) {
            List<Argument> arguments = new ArrayList<>();
            // variables join the operation only if the field does (a required argument without a value drops it)
            List<VariableDefinition> newDefinitions = new ArrayList<>();
            Map<String, Object> newValues = new LinkedHashMap<>();
            for (GraphQLArgument argument : definition.getArguments()) {
                boolean required = required(argument);
                if (!required && random.nextInt(10) >= 3) continue;
                Optional<Object> value = value(argument.getType(), argument.getName(), 0);
                if (value.isEmpty()) {
                    if (required) return Optional.empty();
                    continue;
                }
                boolean customScalar = GraphQLTypeUtil.unwrapAll(argument.getType()) instanceof GraphQLScalarType scalar
                        && !isBuiltIn(scalar.getName());
                if (customScalar || random.nextInt(5) == 0) {
                    String variable = "v" + (variableDefinitions.size() + newDefinitions.size() + 1);
                    newDefinitions.add(new VariableDefinition(variable, typeOf(argument.getType())));
                    newValues.put(variable, json(value.get()));
                    arguments.add(new Argument(argument.getName(), new VariableReference(variable)));
                } else {
                    arguments.add(new Argument(argument.getName(), literal(value.get())));
                }
            }
            variableDefinitions.addAll(newDefinitions);
            variables.putAll(newValues);
            return Optional.of(arguments);
        }

        private Optional<Object> value(GraphQLInputType type, String name, int depth) {
            if (depth > 3) return Optional.empty();
            GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
            if (inner instanceof GraphQLList list) {
                List<Object> values = new ArrayList<>();
                int size = 1 + random.nextInt(2);
                for (int i = 0; i < size; i++) {
                    Optional<Object> value = value((GraphQLInputType) list.getWrappedType(), name, depth + 1);
                    if (value.isEmpty()) return Optional.empty();
                    values.add(value.get());
                }
                return Optional.of(values);
            }
            if (inner instanceof GraphQLEnumType enumType) {
                var values = enumType.getValues();
                return values.isEmpty() ? Optional.empty() : Optional.of(new EnumLiteral(values.get(random.nextInt(values.size())).getName()));
            }
            if (inner instanceof GraphQLInputObjectType input) {
                Map<String, Object> object = new LinkedHashMap<>();
                for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                    boolean required = GraphQLTypeUtil.isNonNull(field.getType()) && !field.hasSetDefaultValue();
                    if (!required && random.nextInt(10) >= 3) continue;
                    Optional<Object> value = value(field.getType(), field.getName(), depth + 1);
                    if (value.isPresent()) object.put(field.getName(), value.get());
                    else if (required) return Optional.empty();
                }
                return Optional.of(object);
            }
            GraphQLScalarType scalar = (GraphQLScalarType) inner;
            List<Object> seen = pool.valuesFor(name);
            return switch (scalar.getName()) {
                case "Int" -> {
                    List<Object> ints = seen.stream().filter(v -> v instanceof Integer).toList();
                    if (!ints.isEmpty() && random.nextInt(4) != 0) yield Optional.of(ints.get(random.nextInt(ints.size())));
                    yield Optional.of(1 + random.nextInt(3));
                }
                case "Float" -> Optional.of(random.nextInt(10) / 2.0);
                case "Boolean" -> Optional.of(random.nextBoolean());
                case "String", "ID" -> {
                    List<Object> strings = seen.stream().map(String::valueOf).map(s -> (Object) s).toList();
                    if (strings.isEmpty() && scalar.getName().equals("ID")) {
                        strings = pool.valuesFor("id").stream().map(String::valueOf).map(s -> (Object) s).toList();
                    }
                    if (!strings.isEmpty() && random.nextInt(6) != 0) yield Optional.of(strings.get(random.nextInt(strings.size())));
                    yield Optional.of(String.valueOf(1 + random.nextInt(3)));
                }
                default -> seen.isEmpty() ? Optional.empty() : Optional.of(seen.get(random.nextInt(seen.size())));
            };
        }
    }

    private static boolean isBuiltIn(String scalar) {
        return switch (scalar) {
            case "Int", "Float", "String", "Boolean", "ID" -> true;
            default -> false;
        };
    }

    private static boolean required(GraphQLArgument argument) {
        return GraphQLTypeUtil.isNonNull(argument.getType()) && !argument.hasSetDefaultValue();
    }

    private List<GraphQLObjectType> possibleTypes(GraphQLCompositeType type) {
        return switch (type) {
            case GraphQLObjectType object -> List.of(object);
            case GraphQLInterfaceType iface -> schema.getImplementations(iface);
            case GraphQLUnionType union -> union.getTypes().stream().map(t -> (GraphQLObjectType) t).toList();
            default -> List.of();
        };
    }

    private static Type<?> typeOf(GraphQLType type) {
        return switch (type) {
            case GraphQLNonNull nonNull -> new NonNullType(typeOf(nonNull.getWrappedType()));
            case GraphQLList list -> new ListType(typeOf(list.getWrappedType()));
            case GraphQLNamedType named -> new TypeName(named.getName());
            default -> throw new IllegalArgumentException("unexpected input type " + type);
        };
    }

    private static Value<?> literal(Object value) {
        return switch (value) {
            case String s -> new StringValue(s);
            case Integer i -> new IntValue(BigInteger.valueOf(i));
            case Double d -> new FloatValue(BigDecimal.valueOf(d));
            case Boolean b -> new BooleanValue(b);
            case EnumLiteral e -> new EnumValue(e.name());
            case List<?> list -> new ArrayValue(list.stream().<Value>map(OperationGenerator::literal).toList());
            case Map<?, ?> map -> new ObjectValue(map.entrySet().stream()
                    .map(e -> new ObjectField((String) e.getKey(), literal(e.getValue()))).toList());
            default -> throw new IllegalArgumentException("unexpected value " + value);
        };
    }

    private static Object json(Object value) {
        return switch (value) {
            case EnumLiteral e -> e.name();
            case List<?> list -> list.stream().map(OperationGenerator::json).toList();
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put((String) k, json(v)));
                yield out;
            }
            default -> value;
        };
    }
}
