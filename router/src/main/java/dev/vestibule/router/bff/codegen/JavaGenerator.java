package dev.vestibule.router.bff.codegen;

import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes the Java of a BFF module's operations: per operation a class implementing BffOperation, with a
 * {@code Variables} record and a {@code Data} record whose nested records follow the selections; and the enums and
 * input objects the operations use, one file each. The generated code decodes with casts and loops through BffJson
 * (no reflection) and is deterministic: the same operations and schema give the same bytes.
 *
 * <p>Type mapping: Int, Float, Boolean are primitives where the schema says non-null and nothing can skip them
 * ({@code @skip}/{@code @include}), boxed otherwise; String and ID are String; a custom scalar is Object (the JSON
 * value as decoded: only the subgraph knows its shape); lists are List; an enum is a Java enum with an
 * {@code UNKNOWN__} constant, so that a value the schema adds later (a "dangerous" change) decodes instead of failing.
 * A type-conditioned fragment that may not apply (on an interface or union) is a nullable {@code onType} component
 * holding the fragment's fields, set when the object's {@code __typename} is one of that type's possible types;
 * fragments that always apply are merged into the enclosing record.
 */
final class JavaGenerator {
    record GeneratedFile(String className, String source) {}

    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
            "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
            "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
            "null", "var", "yield", "record", "sealed", "permits", "_");
    /** Record components named like Object's methods would not compile (toString()) or would confuse. */
    private static final Set<String> OBJECT_METHODS = Set.of("toString", "hashCode", "equals", "getClass", "notify",
            "notifyAll", "wait", "clone", "finalize");
    /** Simple names the generated code uses: a nested record may not shadow them. */
    private static final Set<String> USED_NAMES = Set.of("List", "Map", "Object", "String", "Integer", "Double", "Boolean",
            "LinkedHashMap", "Override", "Record", "BffJson", "BffOperation", "NoVariables", "Data", "Variables");

    private final GraphQLSchema schema;
    private final String packageName;
    private final SortedMap<String, GraphQLEnumType> enums = new TreeMap<>();
    private final SortedMap<String, GraphQLInputObjectType> inputs = new TreeMap<>();
    private final Set<String> reservedNames = new HashSet<>(USED_NAMES);

    JavaGenerator(GraphQLSchema schema, String packageName) {
        this.schema = schema;
        this.packageName = packageName;
        // enums and input objects are top-level classes of the package: no nested record may shadow one
        for (GraphQLNamedType type : schema.getAllTypesAsList()) {
            if (type instanceof GraphQLEnumType || type instanceof GraphQLInputObjectType) reservedNames.add(type.getName());
        }
    }

    static String className(OperationSet.Operation operation) {
        String name = capitalize(operation.name());
        String suffix = operation.type().equals("mutation") ? "Mutation" : "Query";
        return name.endsWith(suffix) ? name : name + suffix;
    }

    /** The operation's class; {@code operation} is the rewritten one whose text is {@code document}. */
    GeneratedFile operation(OperationSet.Operation operation, String document, String id) {
        String className = className(operation);
        OperationDefinition definition = operation.definition();
        GraphQLObjectType root = definition.getOperation() == OperationDefinition.Operation.MUTATION ? schema.getMutationType() : schema.getQueryType();
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        operation.fragments().forEach(f -> fragments.put(f.getName(), f));
        Spec data = build("Data", root, List.of(definition.getSelectionSet()), List.of(className), fragments);
        List<VariableDefinition> variables = definition.getVariableDefinitions();
        String variablesType = variables.isEmpty() ? "NoVariables" : className + ".Variables";

        Source out = new Source();
        out.line("package " + packageName + ";");
        out.line("");
        out.line("import dev.vestibule.router.bff.BffJson;");
        out.line("import dev.vestibule.router.bff.BffOperation;");
        out.line("import dev.vestibule.router.bff.BffOperation.NoVariables;");
        out.line("import java.util.LinkedHashMap;");
        out.line("import java.util.List;");
        out.line("import java.util.Map;");
        out.line("");
        out.line("/**");
        out.line(" * The " + operation.type() + " " + operation.name() + " of " + operation.file() + ":" + operation.line()
                + ". Generated by Vestibule's BFF code generator; do not edit.");
        out.line(" */");
        out.line("@SuppressWarnings({\"unused\", \"RedundantCast\"})");
        out.line("public final class " + className + " implements BffOperation<" + variablesType + ", " + className + ".Data> {");
        out.indent();
        out.line("public static final " + className + " INSTANCE = new " + className + "();");
        out.line("public static final String NAME = " + literal(operation.name()) + ";");
        out.line("public static final String TYPE = " + literal(operation.type()) + ";");
        out.line("/** The text the router runs; its sha256 is {@link #ID}. */");
        out.line("public static final String DOCUMENT = " + literal(document) + ";");
        out.line("public static final String ID = " + literal(id) + ";");
        out.line("");
        out.line("@Override public String name() { return NAME; }");
        out.line("@Override public String type() { return TYPE; }");
        out.line("@Override public String document() { return DOCUMENT; }");
        out.line("@Override public String id() { return ID; }");
        out.line("");
        out.line("@Override");
        if (variables.isEmpty()) {
            out.line("public Map<String, Object> variables(NoVariables variables) {");
            out.indent().line("return Map.of();").outdent();
        } else {
            out.line("public Map<String, Object> variables(Variables variables) {");
            out.indent();
            out.line("Map<String, Object> json = new LinkedHashMap<>();");
            for (VariableDefinition variable : variables) {
                GraphQLInputType type = inputType(variable);
                String name = identifier(variable.getName());
                String value = "variables." + name + "()";
                if (required(type, variable.getDefaultValue() != null)) {
                    out.line("json.put(" + literal(variable.getName()) + ", " + encode(value, type, 0) + ");");
                } else {
                    out.line("if (" + value + " != null) json.put(" + literal(variable.getName()) + ", " + encode(value, type, 0) + ");");
                }
            }
            out.line("return json;");
            out.outdent();
        }
        out.line("}");
        out.line("");
        out.line("@Override");
        out.line("public Data data(Map<String, Object> data) {");
        out.indent().line("return Data.from(data);").outdent();
        out.line("}");
        if (!variables.isEmpty()) {
            out.line("");
            out.line("/** The variables of " + operation.name() + "; a null optional one is left out of the request. */");
            List<String> components = new ArrayList<>();
            for (VariableDefinition variable : variables) {
                GraphQLInputType type = inputType(variable);
                components.add(inputJavaType(type, !required(type, variable.getDefaultValue() != null)) + " " + identifier(variable.getName()));
            }
            out.line("public record Variables(" + String.join(", ", components) + ") {}");
        }
        out.line("");
        writeRecord(out, data);
        out.outdent();
        out.line("}");
        return new GeneratedFile(className, out.toString());
    }

    /** The enums and input objects the operations generated so far use. */
    List<GeneratedFile> sharedTypes() {
        List<GeneratedFile> files = new ArrayList<>();
        for (GraphQLEnumType type : enums.values()) files.add(enumFile(type));
        for (GraphQLInputObjectType type : inputs.values()) files.add(inputFile(type));
        return files;
    }

    Set<String> sharedTypeNames() {
        Set<String> names = new HashSet<>(enums.keySet());
        names.addAll(inputs.keySet());
        return names;
    }

    /** The list of every operation class of the module, for the host to find them without scanning. */
    GeneratedFile index(String className, List<String> operationClasses) {
        Source out = new Source();
        out.line("package " + packageName + ";");
        out.line("");
        out.line("import dev.vestibule.router.bff.BffOperation;");
        out.line("import java.util.List;");
        out.line("");
        out.line("/** Every operation of this module, by name. Generated; do not edit. */");
        out.line("public final class " + className + " {");
        out.indent();
        out.line("public static final List<BffOperation<?, ?>> ALL = List.of(");
        out.indent().indent();
        for (int i = 0; i < operationClasses.size(); i++) {
            out.line(operationClasses.get(i) + ".INSTANCE" + (i + 1 < operationClasses.size() ? "," : ");"));
        }
        if (operationClasses.isEmpty()) out.line(");");
        out.outdent().outdent();
        out.line("");
        out.line("private " + className + "() {}");
        out.outdent();
        out.line("}");
        return new GeneratedFile(className, out.toString());
    }

    // --- the model of one selection: a record ---------------------------------------------------------------------

    /** A record: one component per response key, one per fragment that may not apply, nested records for selections. */
    private static final class Spec {
        final String name;
        final GraphQLCompositeType type;
        final List<Component> components = new ArrayList<>();
        final List<Conditional> conditionals = new ArrayList<>();
        final List<Spec> nested = new ArrayList<>();

        Spec(String name, GraphQLCompositeType type) {
            this.name = name;
            this.type = type;
        }
    }

    private record Component(String key, String javaName, GraphQLType type, boolean skippable, Spec nested) {}

    private record Conditional(String javaName, Spec spec, List<String> possibleTypes) {}

    /** The fields of one selection by response key (fragments that always apply merged in), and the conditional fragments. */
    private static final class Collected {
        final Map<String, List<Field>> fields = new LinkedHashMap<>();
        final Set<String> skippable = new HashSet<>();
        final Map<String, List<SelectionSet>> conditionals = new LinkedHashMap<>();
    }

    private Spec build(String name, GraphQLCompositeType type, List<SelectionSet> sets, List<String> enclosing,
                       Map<String, FragmentDefinition> fragments) {
        Collected collected = new Collected();
        for (SelectionSet set : sets) collect(type, set.getSelections(), false, collected, fragments);
        Spec spec = new Spec(name, type);
        List<String> inner = new ArrayList<>(enclosing);
        inner.add(name);
        Set<String> componentNames = new HashSet<>();
        Set<String> nestedNames = new HashSet<>();
        for (Map.Entry<String, List<Field>> entry : collected.fields.entrySet()) {
            String key = entry.getKey();
            Field first = entry.getValue().get(0);
            String javaName = unique(identifier(key), componentNames);
            GraphQLType fieldType;
            if (first.getName().equals("__typename")) {
                fieldType = GraphQLNonNull.nonNull(schema.getType("String"));
            } else if (first.getName().startsWith("__")) {
                throw new IllegalArgumentException("introspection (" + first.getName() + ") has no place in a BFF operation");
            } else {
                fieldType = ((GraphQLFieldsContainer) type).getFieldDefinition(first.getName()).getType();
            }
            GraphQLType named = GraphQLTypeUtil.unwrapAll(fieldType);
            Spec nested = null;
            if (named instanceof GraphQLCompositeType composite) {
                List<SelectionSet> subSelections = entry.getValue().stream().map(Field::getSelectionSet).filter(s -> s != null).toList();
                String nestedName = typeName(capitalize(key), inner, nestedNames);
                nested = build(nestedName, composite, subSelections, inner, fragments);
                spec.nested.add(nested);
            } else if (named instanceof GraphQLEnumType enumType) {
                enums.put(enumType.getName(), enumType);
            }
            spec.components.add(new Component(key, javaName, fieldType, collected.skippable.contains(key), nested));
        }
        for (Map.Entry<String, List<SelectionSet>> entry : collected.conditionals.entrySet()) {
            GraphQLCompositeType on = (GraphQLCompositeType) schema.getType(entry.getKey());
            String nestedName = typeName("On" + capitalize(entry.getKey()), inner, nestedNames);
            Spec nested = build(nestedName, on, entry.getValue(), inner, fragments);
            spec.nested.add(nested);
            List<String> possible = possibleTypes(on).stream().filter(possibleTypes(type)::contains).toList();
            spec.conditionals.add(new Conditional(unique(identifier("on" + capitalize(entry.getKey())), componentNames), nested, possible));
        }
        return spec;
    }

    private void collect(GraphQLCompositeType type, List<Selection> selections, boolean skippable, Collected collected,
                         Map<String, FragmentDefinition> fragments) {
        for (Selection<?> selection : selections) {
            switch (selection) {
                case Field field -> {
                    String key = field.getAlias() != null ? field.getAlias() : field.getName();
                    collected.fields.computeIfAbsent(key, k -> new ArrayList<>()).add(field);
                    if (skippable || skippable(field.getDirectives())) collected.skippable.add(key);
                }
                case InlineFragment inline -> {
                    String on = inline.getTypeCondition() == null ? type.getName() : inline.getTypeCondition().getName();
                    fragment(type, on, inline.getSelectionSet(), skippable || skippable(inline.getDirectives()), collected, fragments);
                }
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragments.get(spread.getName());
                    fragment(type, definition.getTypeCondition().getName(), definition.getSelectionSet(),
                            skippable || skippable(spread.getDirectives()), collected, fragments);
                }
                default -> throw new IllegalStateException("unexpected selection " + selection);
            }
        }
    }

    private void fragment(GraphQLCompositeType type, String on, SelectionSet set, boolean skippable, Collected collected,
                          Map<String, FragmentDefinition> fragments) {
        if (alwaysApplies(type, on)) {
            collect(type, set.getSelections(), skippable, collected, fragments);
        } else {
            collected.conditionals.computeIfAbsent(on, k -> new ArrayList<>()).add(set);
        }
    }

    /** Whether a fragment on {@code on} applies to every object a selection on {@code type} can see. */
    private boolean alwaysApplies(GraphQLCompositeType type, String on) {
        if (type.getName().equals(on)) return true;
        GraphQLType condition = schema.getType(on);
        return switch (type) {
            case GraphQLObjectType object -> possibleTypes((GraphQLCompositeType) condition).contains(object.getName());
            case GraphQLInterfaceType iface -> iface.getInterfaces().stream().anyMatch(i -> i.getName().equals(on));
            default -> false;
        };
    }

    private List<String> possibleTypes(GraphQLCompositeType type) {
        return switch (type) {
            case GraphQLObjectType object -> List.of(object.getName());
            case GraphQLInterfaceType iface -> schema.getImplementations(iface).stream().map(GraphQLObjectType::getName).sorted().toList();
            case GraphQLUnionType union -> union.getTypes().stream().map(GraphQLNamedType::getName).sorted().toList();
            default -> List.of();
        };
    }

    private static boolean skippable(List<Directive> directives) {
        for (Directive directive : directives) {
            if (directive.getName().equals("skip") || directive.getName().equals("include")) return true;
        }
        return false;
    }

    // --- records ------------------------------------------------------------------------------------------------

    private void writeRecord(Source out, Spec spec) {
        List<String> components = new ArrayList<>();
        for (Component component : spec.components) {
            components.add(javaType(component.type(), component.skippable(), component.nested()) + " " + component.javaName());
        }
        for (Conditional conditional : spec.conditionals) components.add(conditional.spec().name + " " + conditional.javaName());
        out.line("/** The selection on " + spec.type.getName() + (spec.conditionals.isEmpty() ? "" : "; an on* component is null unless the object is of that type") + ". */");
        out.line("public record " + spec.name + "(" + String.join(", ", components) + ") {");
        out.indent();
        out.line("/** Decodes one JSON object of the answer; null stays null. */");
        out.line("public static " + spec.name + " from(Object value) {");
        out.indent();
        out.line("if (value == null) return null;");
        out.line("Map<?, ?> json = BffJson.object(value);");
        List<String> arguments = new ArrayList<>();
        for (Component component : spec.components) {
            arguments.add(decode("json.get(" + literal(component.key()) + ")", component.type(), component.skippable(), component.nested(), 0));
        }
        for (Conditional conditional : spec.conditionals) {
            StringBuilder names = new StringBuilder();
            for (String possible : conditional.possibleTypes()) names.append(", ").append(literal(possible));
            arguments.add("BffJson.typenameIn(json" + names + ") ? " + conditional.spec().name + ".from(json) : null");
        }
        if (arguments.isEmpty()) {
            out.line("return new " + spec.name + "();");
        } else {
            out.line("return new " + spec.name + "(");
            out.indent().indent();
            for (int i = 0; i < arguments.size(); i++) out.line(arguments.get(i) + (i + 1 < arguments.size() ? "," : ");"));
            out.outdent().outdent();
        }
        out.outdent();
        out.line("}");
        for (Spec nested : spec.nested) {
            out.line("");
            writeRecord(out, nested);
        }
        out.outdent();
        out.line("}");
    }

    private String javaType(GraphQLType type, boolean skippable, Spec nested) {
        boolean nonNull = type instanceof GraphQLNonNull && !skippable;
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) return "List<" + boxed(javaType(list.getWrappedType(), false, nested)) + ">";
        return switch (inner) {
            case GraphQLScalarType scalar -> scalarType(scalar, nonNull);
            case GraphQLEnumType enumType -> enumType.getName();
            default -> nested.name;
        };
    }

    private String decode(String expression, GraphQLType type, boolean skippable, Spec nested, int depth) {
        boolean nonNull = type instanceof GraphQLNonNull && !skippable;
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) {
            String element = "e" + depth;
            return "BffJson.list(" + expression + ", " + element + " -> " + decode(element, list.getWrappedType(), false, nested, depth + 1) + ")";
        }
        return switch (inner) {
            case GraphQLScalarType scalar -> switch (scalar.getName()) {
                case "Int" -> (nonNull ? "BffJson.intValue(" : "BffJson.integer(") + expression + ")";
                case "Float" -> (nonNull ? "BffJson.doubleValue(" : "BffJson.floatNumber(") + expression + ")";
                case "Boolean" -> (nonNull ? "BffJson.booleanValue(" : "BffJson.bool(") + expression + ")";
                case "String", "ID" -> "BffJson.string(" + expression + ")";
                default -> "BffJson.scalar(" + expression + ")";
            };
            case GraphQLEnumType enumType -> enumType.getName() + ".from(" + expression + ")";
            default -> nested.name + ".from(" + expression + ")";
        };
    }

    private static String scalarType(GraphQLScalarType scalar, boolean nonNull) {
        return switch (scalar.getName()) {
            case "Int" -> nonNull ? "int" : "Integer";
            case "Float" -> nonNull ? "double" : "Double";
            case "Boolean" -> nonNull ? "boolean" : "Boolean";
            case "String", "ID" -> "String";
            default -> "Object";
        };
    }

    private static String boxed(String type) {
        return switch (type) {
            case "int" -> "Integer";
            case "double" -> "Double";
            case "boolean" -> "Boolean";
            default -> type;
        };
    }

    // --- variables and input objects ----------------------------------------------------------------------------

    private GraphQLInputType inputType(VariableDefinition variable) {
        return (GraphQLInputType) resolve(variable.getType());
    }

    private GraphQLType resolve(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> GraphQLNonNull.nonNull(resolve(nonNull.getType()));
            case ListType list -> GraphQLList.list(resolve(list.getType()));
            case TypeName name -> {
                GraphQLType named = schema.getType(name.getName());
                register(named);
                yield named;
            }
            default -> throw new IllegalStateException("unexpected type " + type);
        };
    }

    /** Notes the enums and input objects (with what their fields use) that variables need. */
    private void register(GraphQLType type) {
        switch (type) {
            case GraphQLEnumType enumType -> enums.put(enumType.getName(), enumType);
            case GraphQLInputObjectType input -> {
                if (inputs.putIfAbsent(input.getName(), input) == null) {
                    for (GraphQLInputObjectField field : input.getFieldDefinitions()) register(GraphQLTypeUtil.unwrapAll(field.getType()));
                }
            }
            default -> { }
        }
    }

    /** A value that must be sent: non-null in the schema with no default to fall back on. */
    private static boolean required(GraphQLType type, boolean hasDefault) {
        return type instanceof GraphQLNonNull && !hasDefault;
    }

    private String inputJavaType(GraphQLType type, boolean optional) {
        boolean nonNull = type instanceof GraphQLNonNull && !optional;
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) return "List<" + boxed(inputJavaType(list.getWrappedType(), false)) + ">";
        return switch (inner) {
            case GraphQLScalarType scalar -> scalarType(scalar, nonNull);
            case GraphQLNamedType named -> named.getName();
            default -> throw new IllegalStateException("unexpected input type " + inner);
        };
    }

    private String encode(String expression, GraphQLType type, int depth) {
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) {
            String element = "e" + depth;
            return "BffJson.encodeList(" + expression + ", " + element + " -> " + encode(element, list.getWrappedType(), depth + 1) + ")";
        }
        return switch (inner) {
            case GraphQLEnumType enumType -> enumType.getName() + ".encode(" + expression + ")";
            case GraphQLInputObjectType input -> input.getName() + ".encode(" + expression + ")";
            default -> expression;
        };
    }

    private GeneratedFile enumFile(GraphQLEnumType type) {
        Source out = new Source();
        out.line("package " + packageName + ";");
        out.line("");
        out.line("/** The enum " + type.getName() + " as this module's operations see it. Generated; do not edit. */");
        out.line("public enum " + type.getName() + " {");
        out.indent();
        List<String> constants = new ArrayList<>();
        Map<String, String> byValue = new LinkedHashMap<>();
        for (GraphQLEnumValueDefinition value : type.getValues()) {
            String constant = identifier(value.getName());
            constants.add(constant + "(" + literal(value.getName()) + ")");
            byValue.put(value.getName(), constant);
        }
        for (String constant : constants) out.line(constant + ",");
        out.line("/** A value the schema gained after this module was built: answers decode to it instead of failing; it cannot be sent. */");
        out.line("UNKNOWN__(null);");
        out.line("");
        out.line("private final String graphqlName;");
        out.line("");
        out.line(type.getName() + "(String graphqlName) {");
        out.indent().line("this.graphqlName = graphqlName;").outdent();
        out.line("}");
        out.line("");
        out.line("/** The value's name in the schema. */");
        out.line("public String graphqlName() {");
        out.indent();
        out.line("if (graphqlName == null) throw new IllegalArgumentException(\"" + type.getName()
                + ".UNKNOWN__ stands for a value this build does not know; it cannot be sent\");");
        out.line("return graphqlName;");
        out.outdent();
        out.line("}");
        out.line("");
        out.line("public static " + type.getName() + " from(Object value) {");
        out.indent();
        out.line("if (value == null) return null;");
        out.line("return switch ((String) value) {");
        out.indent();
        byValue.forEach((value, constant) -> out.line("case " + literal(value) + " -> " + constant + ";"));
        out.line("default -> UNKNOWN__;");
        out.outdent();
        out.line("};");
        out.outdent();
        out.line("}");
        out.line("");
        out.line("public static String encode(" + type.getName() + " value) {");
        out.indent().line("return value == null ? null : value.graphqlName();").outdent();
        out.line("}");
        out.outdent();
        out.line("}");
        return new GeneratedFile(type.getName(), out.toString());
    }

    private GeneratedFile inputFile(GraphQLInputObjectType type) {
        Source out = new Source();
        out.line("package " + packageName + ";");
        out.line("");
        out.line("import dev.vestibule.router.bff.BffJson;");
        out.line("import java.util.LinkedHashMap;");
        out.line("import java.util.List;");
        out.line("import java.util.Map;");
        out.line("");
        out.line("/** The input " + type.getName() + "; a null optional field is left out. Generated; do not edit. */");
        List<String> components = new ArrayList<>();
        for (GraphQLInputObjectField field : type.getFieldDefinitions()) {
            components.add(inputJavaType(field.getType(), !required(field.getType(), field.hasSetDefaultValue())) + " " + identifier(field.getName()));
        }
        out.line("public record " + type.getName() + "(" + String.join(", ", components) + ") {");
        out.indent();
        out.line("public static Map<String, Object> encode(" + type.getName() + " value) {");
        out.indent();
        out.line("if (value == null) return null;");
        out.line("Map<String, Object> json = new LinkedHashMap<>();");
        for (GraphQLInputObjectField field : type.getFieldDefinitions()) {
            String value = "value." + identifier(field.getName()) + "()";
            if (required(field.getType(), field.hasSetDefaultValue())) {
                out.line("json.put(" + literal(field.getName()) + ", " + encode(value, field.getType(), 0) + ");");
            } else {
                out.line("if (" + value + " != null) json.put(" + literal(field.getName()) + ", " + encode(value, field.getType(), 0) + ");");
            }
        }
        out.line("return json;");
        out.outdent();
        out.line("}");
        out.outdent();
        out.line("}");
        return new GeneratedFile(type.getName(), out.toString());
    }

    // --- names and text -----------------------------------------------------------------------------------------

    /** A Java identifier for a GraphQL name (which is already [_A-Za-z][_0-9A-Za-z]*): keywords get a trailing _. */
    static String identifier(String name) {
        return JAVA_KEYWORDS.contains(name) || OBJECT_METHODS.contains(name) ? name + "_" : name;
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) candidate = name + i;
        return candidate;
    }

    /** A nested record's name: not one of its enclosing classes', a sibling's, or a name the code refers to. */
    private String typeName(String base, List<String> enclosing, Set<String> siblings) {
        String candidate = base;
        for (int i = 2; enclosing.contains(candidate) || reservedNames.contains(candidate) || siblings.contains(candidate); i++) {
            candidate = base + i;
        }
        siblings.add(candidate);
        return candidate;
    }

    static String capitalize(String name) {
        String trimmed = name;
        while (trimmed.startsWith("_")) trimmed = trimmed.substring(1);
        if (trimmed.isEmpty()) return "Value";
        return Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1);
    }

    static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    /** Java text with four-space indentation. */
    private static final class Source {
        private final StringBuilder text = new StringBuilder();
        private int depth;

        Source line(String line) {
            if (!line.isEmpty()) text.append("    ".repeat(depth)).append(line);
            text.append('\n');
            return this;
        }

        Source indent() {
            depth++;
            return this;
        }

        Source outdent() {
            depth--;
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
