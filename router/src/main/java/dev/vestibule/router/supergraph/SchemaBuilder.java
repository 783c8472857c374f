package dev.vestibule.router.supergraph;

import graphql.Directives;
import graphql.GraphQLContext;
import graphql.com.google.common.collect.ImmutableList;
import graphql.com.google.common.collect.ImmutableMap;
import graphql.Scalars;
import graphql.execution.CoercedVariables;
import graphql.introspection.Introspection.DirectiveLocation;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumTypeExtensionDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.FloatValue;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputObjectTypeExtensionDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.IntValue;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.InterfaceTypeExtensionDefinition;
import graphql.language.ListType;
import graphql.language.Node;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.ObjectValue;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.UnionTypeExtensionDefinition;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLAppliedDirectiveArgument;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLDirective;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;
import graphql.schema.GraphQLTypeResolvingVisitor;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.schema.SchemaTraverser;
import graphql.schema.TypeResolver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a graphql-java schema from a supergraph-derived SDL document in linear passes, with no recursion and no
 * walk whose depth follows the chains of references between types (issue #28; figures in docs/performance.md).
 *
 * <p>Every named type a field, argument, interface or union member refers to is first a {@link GraphQLTypeReference}.
 * Why not graphql-java's {@code SchemaGenerator}: it builds the type a field refers to before it finishes the field's
 * own type, recursively, so its stack depth follows the longest chain of references (a 1,000-long chain of entities
 * overflowed the default stack). Why not graphql-java's schema builder alone: it always validates the finished
 * schema with a depth-first walk over resolved types whose every step copies the whole path from the root, so along
 * a chain of references its time and memory grow with the square of the chain's length.
 *
 * <p>So graphql-java builds and validates the schema with each object, interface and union (but the root types)
 * replaced by a twin whose fields returning an object, interface or union are typed String, wrappers kept: every
 * rule of its validator still runs (names, fields present and arguments equal across interfaces, union members,
 * input types, default values, input cycles, directives) over a graph that is at most a few steps deep. The one
 * check flattening hides, that a field implementing an interface field returns a subtype of its type, is made here
 * in one pass ({@link #checkImplementations}). The real types then take the twins' places, their references
 * resolved by graphql-java's own resolving visitor over their declared children. A root type that implements an
 * interface cannot be checked against flattened twins: that rare schema is built and validated whole, as before.
 *
 * <p>The resulting schema is for serving, not for rebuilding: its {@code getAdditionalTypes()} are the validated
 * twins (graphql-java's constructor takes them from the validated schema), so it must not be passed to
 * {@code GraphQLSchema.newSchema(schema)} or {@code transform}; the type map, which introspection, validation and
 * printing read, holds the real types. The schema made here is the one graphql-java's generator makes (a test
 * compares their printed forms on every supergraph in the test corpus); custom scalars accept any value, as the
 * router passes them through to the subgraphs that own them.
 */
final class SchemaBuilder {
    /** Custom scalars: the router never interprets their values; subgraphs coerce them. */
    private static final Coercing<Object, Object> PASS_THROUGH = new Coercing<>() {
        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            return input;
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            return literal(input, variables);
        }
    };
    private static final TypeResolver BY_TYPENAME = environment ->
            environment.getObject() instanceof Map<?, ?> object && object.get("__typename") instanceof String name
                    ? environment.getSchema().getObjectType(name) : null;
    private static final Map<String, GraphQLScalarType> BUILT_IN_SCALARS = Map.of("String", Scalars.GraphQLString,
            "Int", Scalars.GraphQLInt, "Float", Scalars.GraphQLFloat, "Boolean", Scalars.GraphQLBoolean, "ID", Scalars.GraphQLID);
    private static final Set<String> BUILT_IN_DIRECTIVES = Set.of("skip", "include", "deprecated", "specifiedBy", "oneOf", "defer",
            "experimental_disableErrorPropagation");

    private final Map<String, TypeDefinition<?>> definitions = new LinkedHashMap<>();
    /** Fields, values, members and interfaces of `extend type` definitions, added to their base type. */
    private final Map<String, List<TypeDefinition<?>>> extensions = new LinkedHashMap<>();
    private final List<DirectiveDefinition> directives = new ArrayList<>();
    private SchemaDefinition schemaDefinition;

    private SchemaBuilder(Document document) {
        for (Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case ObjectTypeExtensionDefinition e -> extensions.computeIfAbsent(e.getName(), n -> new ArrayList<>()).add(e);
                case InterfaceTypeExtensionDefinition e -> extensions.computeIfAbsent(e.getName(), n -> new ArrayList<>()).add(e);
                case UnionTypeExtensionDefinition e -> extensions.computeIfAbsent(e.getName(), n -> new ArrayList<>()).add(e);
                case EnumTypeExtensionDefinition e -> extensions.computeIfAbsent(e.getName(), n -> new ArrayList<>()).add(e);
                case InputObjectTypeExtensionDefinition e -> extensions.computeIfAbsent(e.getName(), n -> new ArrayList<>()).add(e);
                case TypeDefinition<?> type -> {
                    if (definitions.putIfAbsent(type.getName(), type) != null) {
                        throw new SchemaBuildException("the type " + type.getName() + " is defined more than once" + at(type));
                    }
                }
                case DirectiveDefinition directive -> directives.add(directive);
                case SchemaDefinition schema -> schemaDefinition = schema;
                default -> { } // schema extensions and executable definitions play no part in the type system
            }
        }
        for (String extended : extensions.keySet()) {
            if (!definitions.containsKey(extended)) throw new SchemaBuildException("extend type " + extended + " has no base type");
        }
    }

    /** A problem that makes the document not a valid schema, named with its line. */
    static final class SchemaBuildException extends RuntimeException {
        SchemaBuildException(String message) {
            super(message);
        }
    }

    static GraphQLSchema build(Document document) {
        return new SchemaBuilder(document).build();
    }

    private GraphQLSchema build() {
        Map<String, GraphQLNamedType> types = new LinkedHashMap<>();
        for (TypeDefinition<?> definition : definitions.values()) types.put(definition.getName(), namedType(definition));
        Map<String, String> roots = rootTypeNames();
        GraphQLObjectType query = rootType(types, roots.get("query"), "query");
        GraphQLObjectType mutation = roots.containsKey("mutation") ? rootType(types, roots.get("mutation"), "mutation") : null;
        GraphQLObjectType subscription = roots.containsKey("subscription") ? rootType(types, roots.get("subscription"), "subscription") : null;
        checkImplementations(types);
        // graphql-java requires a type resolver for every abstract type; the router resolves runtime types itself
        // (from __typename) and runs graphql-java only for introspection, so this one reads __typename too
        GraphQLCodeRegistry.Builder code = GraphQLCodeRegistry.newCodeRegistry();
        for (GraphQLNamedType type : types.values()) {
            if (type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType) code.typeResolver(type.getName(), BY_TYPENAME);
        }
        Set<GraphQLObjectType> rootTypes = new LinkedHashSet<>();
        for (GraphQLObjectType root : new GraphQLObjectType[] {query, mutation, subscription}) if (root != null) rootTypes.add(root);
        boolean rootImplementsInterface = rootTypes.stream().anyMatch(root -> !root.getInterfaces().isEmpty());

        // The types graphql-java validates: the real ones, except that every object, interface and union other than
        // the roots is a twin whose fields of those kinds are flattened to String (see the class comment).
        Set<GraphQLType> validated = new LinkedHashSet<>();
        for (GraphQLNamedType type : types.values()) {
            boolean composite = type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;
            if (rootTypes.contains(type)) continue;
            validated.add(composite && !rootImplementsInterface ? twin(type) : type);
        }
        GraphQLSchema.Builder schema = GraphQLSchema.newSchema().query(query).mutation(mutation).subscription(subscription)
                .codeRegistry(code.build()).additionalTypes(validated);
        if (schemaDefinition != null && schemaDefinition.getDescription() != null) {
            schema.description(schemaDefinition.getDescription().getContent());
        }
        for (DirectiveDefinition directive : directives) {
            if (!BUILT_IN_DIRECTIVES.contains(directive.getName())) schema.additionalDirective(directive(directive));
        }
        GraphQLSchema checked = schema.build();
        // A root type that implements an interface would be checked against the interface's flattened twin, which
        // its real field types do not match: such a (rare) schema is built and validated whole by graphql-java.
        if (rootImplementsInterface) return checked;
        return withRealTypes(checked, types);
    }

    /**
     * The validated schema with the real object, interface and union types in place of their twins: their type
     * references resolved by graphql-java's own resolving visitor over the types' declared (shallow) children, the
     * roots' references (resolved to twins during validation) resolved again to the real types.
     */
    private static GraphQLSchema withRealTypes(GraphQLSchema checked, Map<String, GraphQLNamedType> types) {
        Map<String, GraphQLNamedType> typeMap = new LinkedHashMap<>();
        List<GraphQLSchemaElement> unresolved = new ArrayList<>();
        for (Map.Entry<String, GraphQLNamedType> entry : checked.getTypeMap().entrySet()) {
            GraphQLNamedType real = types.getOrDefault(entry.getKey(), entry.getValue());
            typeMap.put(entry.getKey(), real);
            if (real instanceof GraphQLObjectType || real instanceof GraphQLInterfaceType || real instanceof GraphQLUnionType) unresolved.add(real);
        }
        new SchemaTraverser(element -> element.getChildrenWithTypeReferences().getChildrenAsList())
                .depthFirst(new GraphQLTypeResolvingVisitor(typeMap), unresolved);
        Map<String, List<GraphQLObjectType>> implementations = new TreeMap<>();
        for (GraphQLNamedType type : typeMap.values()) {
            if (type instanceof GraphQLObjectType object) {
                object.getInterfaces().forEach(i -> implementations.computeIfAbsent(i.getName(), n -> new ArrayList<>()).add(object));
            }
        }
        ImmutableMap.Builder<String, ImmutableList<GraphQLObjectType>> byInterface = ImmutableMap.builder();
        implementations.forEach((name, objects) -> byInterface.put(name, ImmutableList.copyOf(objects)));
        return new GraphQLSchema(checked, checked.getCodeRegistry(), ImmutableMap.copyOf(typeMap), byInterface.build());
    }

    /**
     * An object, interface or union for validation only: the same name, fields, arguments, interfaces and members,
     * with every field whose type is an object, interface or union typed String instead (wrappers kept), so that
     * validation never walks from a type into the types its fields return.
     */
    private GraphQLNamedType twin(GraphQLNamedType type) {
        return switch (type) {
            case GraphQLObjectType object -> {
                GraphQLObjectType.Builder builder = GraphQLObjectType.newObject().name(object.getName());
                object.getFieldDefinitions().forEach(f -> builder.field(flattened(f)));
                object.getInterfaces().forEach(i -> builder.withInterface(GraphQLTypeReference.typeRef(i.getName())));
                yield builder.build();
            }
            case GraphQLInterfaceType iface -> {
                GraphQLInterfaceType.Builder builder = GraphQLInterfaceType.newInterface().name(iface.getName());
                iface.getFieldDefinitions().forEach(f -> builder.field(flattened(f)));
                iface.getInterfaces().forEach(i -> builder.withInterface(GraphQLTypeReference.typeRef(i.getName())));
                yield builder.build();
            }
            case GraphQLUnionType union -> {
                GraphQLUnionType.Builder builder = GraphQLUnionType.newUnionType().name(union.getName());
                union.getTypes().forEach(member -> builder.possibleType(GraphQLTypeReference.typeRef(member.getName())));
                yield builder.build();
            }
            default -> type;
        };
    }

    /** A field of a twin: arguments shared with the real field (graphql-java resolves their input types once). */
    private GraphQLFieldDefinition flattened(GraphQLFieldDefinition field) {
        return GraphQLFieldDefinition.newFieldDefinition().name(field.getName()).type((GraphQLOutputType) flattened(field.getType()))
                .arguments(field.getArguments()).deprecate(field.getDeprecationReason()).build();
    }

    private GraphQLType flattened(GraphQLType type) {
        return switch (type) {
            case GraphQLNonNull nonNull -> GraphQLNonNull.nonNull(flattened(nonNull.getWrappedType()));
            case GraphQLList list -> GraphQLList.list(flattened(list.getWrappedType()));
            case GraphQLTypeReference reference -> composite(reference.getName()) ? Scalars.GraphQLString : reference;
            default -> type;
        };
    }

    private boolean composite(String name) {
        TypeDefinition<?> definition = definitions.get(name);
        return definition instanceof ObjectTypeDefinition || definition instanceof InterfaceTypeDefinition || definition instanceof UnionTypeDefinition;
    }

    /**
     * The one check the twins cannot make: a field of a type that implements an interface must return the
     * interface field's type or a subtype of it (same wrappers or a non-null one; an object or interface that
     * implements it, or an object member of the union). One pass over the interfaces' fields of each type.
     */
    private void checkImplementations(Map<String, GraphQLNamedType> types) {
        for (GraphQLNamedType type : types.values()) {
            List<GraphQLNamedOutputType> interfaces = switch (type) {
                case GraphQLObjectType object -> object.getInterfaces();
                case GraphQLInterfaceType iface -> iface.getInterfaces();
                default -> List.of();
            };
            if (interfaces.isEmpty()) continue;
            GraphQLFieldsContainer implementing = (GraphQLFieldsContainer) type;
            for (GraphQLNamedOutputType declared : interfaces) {
                if (!(types.get(declared.getName()) instanceof GraphQLInterfaceType iface)) continue; // graphql-java names it
                for (GraphQLFieldDefinition expected : iface.getFieldDefinitions()) {
                    GraphQLFieldDefinition actual = implementing.getFieldDefinition(expected.getName());
                    if (actual == null || validImplementation(actual.getType(), expected.getType(), types)) continue;
                    String kind = type instanceof GraphQLObjectType ? "object" : "interface";
                    throw new SchemaBuildException(kind + " type '" + type.getName() + "' does not implement interface '" + iface.getName()
                            + "' because field '" + expected.getName() + "' is defined as '" + GraphQLTypeUtil.simplePrint(actual.getType())
                            + "' type and not as '" + GraphQLTypeUtil.simplePrint(expected.getType()) + "' type");
                }
            }
        }
    }

    /** The spec's IsValidImplementationFieldType, on the unresolved types (named types are references or built-ins). */
    private static boolean validImplementation(GraphQLType actual, GraphQLType expected, Map<String, GraphQLNamedType> types) {
        if (actual instanceof GraphQLNonNull nonNull) {
            return validImplementation(nonNull.getWrappedType(),
                    expected instanceof GraphQLNonNull expectedNonNull ? expectedNonNull.getWrappedType() : expected, types);
        }
        if (actual instanceof GraphQLList list) {
            return expected instanceof GraphQLList expectedList && validImplementation(list.getWrappedType(), expectedList.getWrappedType(), types);
        }
        if (!(actual instanceof GraphQLNamedType named) || !(expected instanceof GraphQLNamedType wanted)) return false;
        if (named.getName().equals(wanted.getName())) return true;
        return switch (types.get(wanted.getName())) {
            case GraphQLUnionType union -> union.getTypes().stream().anyMatch(member -> member.getName().equals(named.getName()));
            case GraphQLInterfaceType iface -> switch (types.get(named.getName())) {
                case GraphQLObjectType object -> object.getInterfaces().stream().anyMatch(i -> i.getName().equals(iface.getName()));
                case GraphQLInterfaceType sub -> sub.getInterfaces().stream().anyMatch(i -> i.getName().equals(iface.getName()));
                case null, default -> false;
            };
            case null, default -> false;
        };
    }

    private Map<String, String> rootTypeNames() {
        Map<String, String> roots = new LinkedHashMap<>();
        if (schemaDefinition != null) {
            for (OperationTypeDefinition operation : schemaDefinition.getOperationTypeDefinitions()) {
                roots.put(operation.getName(), operation.getTypeName().getName());
            }
        } else {
            if (definitions.get("Query") instanceof ObjectTypeDefinition) roots.put("query", "Query");
            if (definitions.get("Mutation") instanceof ObjectTypeDefinition) roots.put("mutation", "Mutation");
            if (definitions.get("Subscription") instanceof ObjectTypeDefinition) roots.put("subscription", "Subscription");
        }
        if (!roots.containsKey("query")) throw new SchemaBuildException("the schema has no query root type");
        return roots;
    }

    private static GraphQLObjectType rootType(Map<String, GraphQLNamedType> types, String name, String operation) {
        if (types.get(name) instanceof GraphQLObjectType object) return object;
        throw new SchemaBuildException("the " + operation + " root type " + name + " is not an object type defined in the schema");
    }

    private GraphQLNamedType namedType(TypeDefinition<?> definition) {
        List<TypeDefinition<?>> extending = extensions.getOrDefault(definition.getName(), List.of());
        return switch (definition) {
            case ObjectTypeDefinition object -> objectType(object, extending);
            case InterfaceTypeDefinition iface -> interfaceType(iface, extending);
            case UnionTypeDefinition union -> unionType(union, extending);
            case EnumTypeDefinition enumType -> enumType(enumType, extending);
            case InputObjectTypeDefinition input -> inputType(input, extending);
            case ScalarTypeDefinition scalar -> scalarType(scalar);
            default -> throw new SchemaBuildException("unsupported type definition " + definition.getName() + at(definition));
        };
    }

    /** A type's definition followed by its `extend type` definitions (all of the same kind: the parser's subclasses). */
    @SuppressWarnings("unchecked")
    private static <T extends TypeDefinition<?>> List<T> parts(T base, List<TypeDefinition<?>> extending) {
        List<T> parts = new ArrayList<>(1 + extending.size());
        parts.add(base);
        extending.forEach(e -> parts.add((T) e));
        return parts;
    }

    private GraphQLObjectType objectType(ObjectTypeDefinition object, List<TypeDefinition<?>> extending) {
        GraphQLObjectType.Builder builder = GraphQLObjectType.newObject().name(object.getName())
                .description(text(object.getDescription())).definition(object);
        List<ObjectTypeDefinition> parts = parts(object, extending);
        Set<String> seen = new HashSet<>();
        for (ObjectTypeDefinition part : parts) {
            for (FieldDefinition field : part.getFieldDefinitions()) {
                if (!seen.add(field.getName())) throw duplicate(object.getName() + "." + field.getName(), field);
                builder.field(field(field));
            }
            part.getImplements().forEach(i -> builder.withInterface(GraphQLTypeReference.typeRef(named(i, "interface of " + object.getName()))));
        }
        return builder.build();
    }

    private GraphQLInterfaceType interfaceType(InterfaceTypeDefinition iface, List<TypeDefinition<?>> extending) {
        GraphQLInterfaceType.Builder builder = GraphQLInterfaceType.newInterface().name(iface.getName())
                .description(text(iface.getDescription())).definition(iface);
        List<InterfaceTypeDefinition> parts = parts(iface, extending);
        Set<String> seen = new HashSet<>();
        for (InterfaceTypeDefinition part : parts) {
            for (FieldDefinition field : part.getFieldDefinitions()) {
                if (!seen.add(field.getName())) throw duplicate(iface.getName() + "." + field.getName(), field);
                builder.field(field(field));
            }
            part.getImplements().forEach(i -> builder.withInterface(GraphQLTypeReference.typeRef(named(i, "interface of " + iface.getName()))));
        }
        return builder.build();
    }

    private GraphQLUnionType unionType(UnionTypeDefinition union, List<TypeDefinition<?>> extending) {
        GraphQLUnionType.Builder builder = GraphQLUnionType.newUnionType().name(union.getName())
                .description(text(union.getDescription())).definition(union);
        List<UnionTypeDefinition> parts = parts(union, extending);
        for (UnionTypeDefinition part : parts) {
            for (Type<?> member : part.getMemberTypes()) {
                String name = named(member, "member of union " + union.getName());
                if (!(definitions.get(name) instanceof ObjectTypeDefinition)) {
                    throw new SchemaBuildException("the union " + union.getName() + " has the member " + name
                            + ", which is not an object type" + at(union));
                }
                builder.possibleType(GraphQLTypeReference.typeRef(name));
            }
        }
        return builder.build();
    }

    private static GraphQLEnumType enumType(EnumTypeDefinition enumType, List<TypeDefinition<?>> extending) {
        GraphQLEnumType.Builder builder = GraphQLEnumType.newEnum().name(enumType.getName())
                .description(text(enumType.getDescription())).definition(enumType);
        List<EnumTypeDefinition> parts = parts(enumType, extending);
        for (EnumTypeDefinition part : parts) {
            for (EnumValueDefinition value : part.getEnumValueDefinitions()) {
                builder.value(GraphQLEnumValueDefinition.newEnumValueDefinition().name(value.getName()).value(value.getName())
                        .description(text(value.getDescription())).deprecationReason(deprecation(value)).definition(value).build());
            }
        }
        return builder.build();
    }

    private GraphQLInputObjectType inputType(InputObjectTypeDefinition input, List<TypeDefinition<?>> extending) {
        GraphQLInputObjectType.Builder builder = GraphQLInputObjectType.newInputObject().name(input.getName())
                .description(text(input.getDescription())).definition(input);
        List<InputObjectTypeDefinition> parts = parts(input, extending);
        Set<String> seen = new HashSet<>();
        for (InputObjectTypeDefinition part : parts) {
            if (!part.getDirectives("oneOf").isEmpty()) builder.withAppliedDirective(Directives.OneOfDirective.toAppliedDirective());
            for (InputValueDefinition field : part.getInputValueDefinitions()) {
                if (!seen.add(field.getName())) throw duplicate(input.getName() + "." + field.getName(), field);
                GraphQLInputObjectField.Builder f = GraphQLInputObjectField.newInputObjectField().name(field.getName())
                        .description(text(field.getDescription())).type(inputType(field.getType(), input.getName() + "." + field.getName()))
                        .deprecate(deprecation(field)).definition(field);
                if (field.getDefaultValue() != null) f.defaultValueLiteral(field.getDefaultValue());
                builder.field(f.build());
            }
        }
        return builder.build();
    }

    private static GraphQLScalarType scalarType(ScalarTypeDefinition scalar) {
        if (BUILT_IN_SCALARS.containsKey(scalar.getName())) return BUILT_IN_SCALARS.get(scalar.getName());
        GraphQLScalarType.Builder builder = GraphQLScalarType.newScalar().name(scalar.getName())
                .description(text(scalar.getDescription())).coercing(PASS_THROUGH).definition(scalar);
        for (Directive specifiedBy : scalar.getDirectives("specifiedBy")) {
            if (specifiedBy.getArgument("url") != null && specifiedBy.getArgument("url").getValue() instanceof StringValue url) {
                builder.specifiedByUrl(url.getValue()).withAppliedDirective(GraphQLAppliedDirective.newDirective().name("specifiedBy")
                        .argument(GraphQLAppliedDirectiveArgument.newArgument().name("url")
                                .type(GraphQLNonNull.nonNull(Scalars.GraphQLString)).valueLiteral(url).build()));
            }
        }
        return builder.build();
    }

    private GraphQLFieldDefinition field(FieldDefinition field) {
        GraphQLFieldDefinition.Builder builder = GraphQLFieldDefinition.newFieldDefinition().name(field.getName())
                .description(text(field.getDescription())).type(outputType(field.getType(), field.getName()))
                .deprecate(deprecation(field)).definition(field);
        Set<String> seen = new HashSet<>();
        for (InputValueDefinition argument : field.getInputValueDefinitions()) {
            if (!seen.add(argument.getName())) throw duplicate(field.getName() + "(" + argument.getName() + ":)", argument);
            builder.argument(argument(argument, field.getName() + "(" + argument.getName() + ":)"));
        }
        return builder.build();
    }

    private GraphQLArgument argument(InputValueDefinition argument, String where) {
        GraphQLArgument.Builder builder = GraphQLArgument.newArgument().name(argument.getName())
                .description(text(argument.getDescription())).type(inputType(argument.getType(), where))
                .deprecate(deprecation(argument)).definition(argument);
        if (argument.getDefaultValue() != null) builder.defaultValueLiteral(argument.getDefaultValue());
        return builder.build();
    }

    private GraphQLDirective directive(DirectiveDefinition directive) {
        GraphQLDirective.Builder builder = GraphQLDirective.newDirective().name(directive.getName())
                .description(text(directive.getDescription())).repeatable(directive.isRepeatable()).definition(directive);
        directive.getDirectiveLocations().forEach(l -> builder.validLocation(DirectiveLocation.valueOf(l.getName())));
        for (InputValueDefinition argument : directive.getInputValueDefinitions()) {
            builder.argument(argument(argument, "@" + directive.getName() + "(" + argument.getName() + ":)"));
        }
        return builder.build();
    }

    private GraphQLOutputType outputType(Type<?> type, String where) {
        return switch (type) {
            case NonNullType nonNull -> GraphQLNonNull.nonNull(outputType(nonNull.getType(), where));
            case ListType list -> GraphQLList.list(outputType(list.getType(), where));
            case TypeName name -> {
                TypeDefinition<?> definition = known(name, where);
                if (definition instanceof InputObjectTypeDefinition) {
                    throw new SchemaBuildException(where + " has the input type " + name.getName() + " as its output type" + at(name));
                }
                yield BUILT_IN_SCALARS.containsKey(name.getName()) ? BUILT_IN_SCALARS.get(name.getName()) : GraphQLTypeReference.typeRef(name.getName());
            }
            default -> throw new SchemaBuildException("unsupported type " + type + " of " + where);
        };
    }

    private GraphQLInputType inputType(Type<?> type, String where) {
        return switch (type) {
            case NonNullType nonNull -> GraphQLNonNull.nonNull(inputType(nonNull.getType(), where));
            case ListType list -> GraphQLList.list(inputType(list.getType(), where));
            case TypeName name -> {
                TypeDefinition<?> definition = known(name, where);
                if (definition instanceof ObjectTypeDefinition || definition instanceof InterfaceTypeDefinition
                        || definition instanceof UnionTypeDefinition) {
                    throw new SchemaBuildException(where + " has the output type " + name.getName() + " as its input type" + at(name));
                }
                yield BUILT_IN_SCALARS.containsKey(name.getName()) ? BUILT_IN_SCALARS.get(name.getName()) : GraphQLTypeReference.typeRef(name.getName());
            }
            default -> throw new SchemaBuildException("unsupported type " + type + " of " + where);
        };
    }

    /** The definition a type name refers to (null for a built-in scalar nobody redefined); unknown names fail. */
    private TypeDefinition<?> known(TypeName name, String where) {
        TypeDefinition<?> definition = definitions.get(name.getName());
        if (definition == null && !BUILT_IN_SCALARS.containsKey(name.getName())) {
            throw new SchemaBuildException(where + " refers to the type " + name.getName() + ", which is not defined" + at(name));
        }
        return definition;
    }

    private String named(Type<?> type, String where) {
        if (!(type instanceof TypeName name)) throw new SchemaBuildException("the " + where + " must be a named type");
        known(name, where);
        return name.getName();
    }

    private static String deprecation(DirectivesContainer<?> element) {
        List<Directive> deprecated = element.getDirectives("deprecated");
        if (deprecated.isEmpty()) return null;
        Argument reason = deprecated.getFirst().getArgument("reason");
        return reason != null && reason.getValue() instanceof StringValue text ? text.getValue() : Directives.NO_LONGER_SUPPORTED;
    }

    private static String text(Description description) {
        return description == null ? null : description.getContent();
    }

    private static SchemaBuildException duplicate(String coordinate, Node<?> node) {
        return new SchemaBuildException(coordinate + " is defined more than once" + at(node));
    }

    private static String at(Node<?> node) {
        return node.getSourceLocation() == null ? "" : " (line " + node.getSourceLocation().getLine() + ")";
    }

    /** A literal as the plain Java value it denotes: what a custom scalar's argument or default is. */
    private static Object literal(Value<?> value, CoercedVariables variables) {
        return switch (value) {
            case StringValue s -> s.getValue();
            case IntValue i -> i.getValue();
            case FloatValue f -> f.getValue();
            case BooleanValue b -> b.isValue();
            case EnumValue e -> e.getName();
            case NullValue n -> null;
            case VariableReference v -> variables.get(v.getName());
            case ArrayValue a -> {
                List<Object> items = new ArrayList<>();
                a.getValues().forEach(item -> items.add(literal(item, variables)));
                yield items;
            }
            case ObjectValue o -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                o.getObjectFields().forEach(f -> fields.put(f.getName(), literal(f.getValue(), variables)));
                yield fields;
            }
            default -> throw new IllegalArgumentException("not a literal: " + value);
        };
    }
}
