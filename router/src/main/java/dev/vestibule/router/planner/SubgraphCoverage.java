package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.operation.SelectionNormalizer;
import dev.vestibule.router.supergraph.FieldSet;
import dev.vestibule.router.supergraph.SubgraphSchema;
import dev.vestibule.router.supergraph.SubgraphSchema.FieldInSubgraph;
import dev.vestibule.router.supergraph.SubgraphSchema.Key;
import dev.vestibule.router.supergraph.SubgraphSchema.TypeInSubgraph;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.TypeRelations;
import graphql.language.AstPrinter;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each subgraph can answer, asked by the walk and the passes: whether a subgraph resolves a selection itself
 * (through @provides too), which subgraphs can be reached through a key for a field, which object types a subgraph
 * can return where an abstract type is expected. Depends only on the supergraph: one per planner, shared by every
 * operation it plans.
 */
final class SubgraphCoverage {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final TypeRelations relations;

    SubgraphCoverage(Supergraph supergraph) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.relations = new TypeRelations(schema);
    }

    boolean isObjectType(String name) {
        return schema.getType(name) instanceof GraphQLObjectType;
    }

    /**
     * The object type of {@code type.field} in the subgraph (inside its list and non-null wrappers), or null where the
     * subgraph does not answer the field itself or its type is no object type.
     */
    String objectFieldType(String subgraph, String type, String field) {
        String named = supergraph.subgraph(subgraph).field(type, field).filter(FieldInSubgraph::answersHere)
                .map(FieldInSubgraph::namedType).orElse(null);
        return named != null && schema.getType(named) instanceof GraphQLObjectType ? named : null;
    }

    /** Whether the subgraph answers the leaf field {@code type.field} itself (not external, nothing required). */
    boolean answersLeaf(String subgraph, String type, String field) {
        return supergraph.subgraph(subgraph).field(type, field)
                .filter(f -> f.answersHere() && !(schema.getType(f.namedType()) instanceof GraphQLCompositeType))
                .isPresent();
    }

    /** The object types a value of type {@code name} can be: itself, or the possible types of an abstract type. */
    List<String> objectTypes(String name) {
        if (!(schema.getType(name) instanceof GraphQLNamedType type)) return List.of();
        if (type instanceof GraphQLObjectType) return List.of(name);
        return possibleObjects(type).stream().map(GraphQLObjectType::getName).toList();
    }

    /** Whether a fragment on {@code condition} applies to an object of type {@code object} (as the executor decides). */
    boolean matches(String condition, String object) {
        return condition.equals(object) || relations.isAbstract(condition) && relations.isPossibleType(condition, object);
    }

    /** The type a fragment's selections are read on, under {@code type}. */
    String fragmentType(String type, Selection.Fragment fragment) {
        if (fragment.typeCondition() == null) return type;
        // an abstract condition on an object type: its fields are the object's own
        return schema.getType(fragment.typeCondition()) instanceof GraphQLObjectType || !(schema.getType(type) instanceof GraphQLObjectType)
                ? fragment.typeCondition() : type;
    }

    String childTypeName(String type, Selection.Field field) {
        return typeName(((GraphQLFieldsContainer) schema.getType(type)).getFieldDefinition(field.name()).getType());
    }

    /** The subgraphs that resolve {@code type}'s field (a root field's candidates), in the supergraph's order. */
    List<String> resolving(String type, String field) {
        return supergraph.subgraphs().stream().map(s -> s.name()).filter(s -> supergraph.subgraph(s).resolves(type, field)).toList();
    }

    boolean isEntityInAny(List<String> subgraphs, String type) {
        return subgraphs.stream().anyMatch(s -> isEntityIn(s, type));
    }

    /**
     * Whether {@code subgraph} answers all of {@code selections} itself, fragments included (a fragment on a
     * type it does not have, under a type it does, selects nothing there and is answered).
     */
    boolean selectsAll(String subgraph, String type, List<Selection> selections) {
        SubgraphSchema schemaIn = supergraph.subgraph(subgraph);
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Fragment fragment -> {
                    String inner = fragmentType(type, fragment);
                    if (!inner.equals(type) && schemaIn.type(inner).isEmpty()) return false;
                    if (!selectsAll(subgraph, inner, fragment.selections())) return false;
                }
                case Selection.Field field -> {
                    if (field.isTypename()) continue;
                    if (!schemaIn.field(type, field.name()).map(FieldInSubgraph::answersHere).orElse(false)) return false;
                    if (!field.isLeaf() && !selectsAll(subgraph, childTypeName(type, field), field.selections())) return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the subgraph resolves every field of the selection itself, at any depth, with no key jump: on an
     * abstract type, for every object type it can return there (an implementation may have the field @external).
     */
    boolean servesLocally(String subgraphName, String typeName, List<Selection> selections, List<Selection> provided) {
        SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
        GraphQLNamedType type = (GraphQLNamedType) schema.getType(typeName);
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> {
                    if (f.isTypename()) continue;
                    List<Selection> providedField = providedField(provided, typeName, f.name());
                    if (providedField == null && !resolvesLocally(subgraph, type, f.name())) return false;
                    if (!f.isLeaf()) {
                        String child = typeName(((GraphQLFieldsContainer) type).getFieldDefinition(f.name()).getType());
                        if (!servesLocally(subgraphName, child, f.selections(),
                                childProvided(providedField, subgraph.field(typeName, f.name())))) return false;
                    }
                }
                case Selection.Fragment f -> {
                    String condition = f.typeCondition();
                    if (condition == null || condition.equals(typeName)
                            || (type instanceof GraphQLObjectType && isPossibleType(condition, typeName))) {
                        if (!servesLocally(subgraphName, typeName, f.selections(), provided)) return false;
                    } else if (isAbstract(type) && schema.getType(condition) instanceof GraphQLNamedType conditionType) {
                        for (GraphQLObjectType object : possibleObjects(isAbstract(conditionType) ? conditionType : type)) {
                            boolean reached = isPossibleType(condition, object.getName()) && isPossibleType(typeName, object.getName())
                                    && possibleIn(subgraph, type, object.getName());
                            if (reached && !servesLocally(subgraphName, object.getName(), f.selections(), provided)) return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /**
     * How many fields of the root field's selection the subgraph answers itself, through its @provides on the field
     * and into fragments on the types it can return ({@link #localCoverage} counts neither): below a field it does not
     * answer, nothing counts.
     */
    int answeredLocally(String subgraphName, String rootType, Selection.Field field) {
        GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(rootType)).getFieldDefinition(field.name());
        List<Selection> provided = supergraph.subgraph(subgraphName).field(rootType, field.name()).map(SubgraphCoverage::provides).orElse(null);
        return answeredLocally(subgraphName, typeName(definition.getType()), field.selections(), provided);
    }

    private int answeredLocally(String subgraphName, String typeName, List<Selection> selections, List<Selection> provided) {
        SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
        GraphQLNamedType type = (GraphQLNamedType) schema.getType(typeName);
        int answered = 0;
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> {
                    if (f.isTypename()) continue;
                    List<Selection> providedField = providedField(provided, typeName, f.name());
                    if (providedField == null && !resolvesLocally(subgraph, type, f.name())) continue;
                    answered++;
                    if (!f.isLeaf() && type instanceof GraphQLFieldsContainer container) {
                        String child = typeName(container.getFieldDefinition(f.name()).getType());
                        answered += answeredLocally(subgraphName, child, f.selections(), childProvided(providedField, subgraph.field(typeName, f.name())));
                    }
                }
                case Selection.Fragment f -> {
                    String condition = f.typeCondition();
                    if (condition == null || condition.equals(typeName)) {
                        answered += answeredLocally(subgraphName, typeName, f.selections(), provided);
                    } else if (schema.getType(condition) instanceof GraphQLObjectType && possibleIn(subgraph, type, condition)) {
                        answered += answeredLocally(subgraphName, condition, f.selections(), provided);
                    }
                }
            }
        }
        return answered;
    }

    /** The field is answered by this subgraph at this type (every implementation it returns, on an interface). */
    boolean resolvesLocally(SubgraphSchema subgraph, GraphQLNamedType type, String fieldName) {
        return subgraph.field(type.getName(), fieldName).map(FieldInSubgraph::answersHere).orElse(false)
                && implementationsResolve(subgraph, type, fieldName);
    }

    /**
     * On an interface, whether every implementation this subgraph can return resolves the field here too (an
     * @override may have moved it away from one of them, or it is @external on one); true on other types.
     */
    boolean implementationsResolve(SubgraphSchema subgraph, GraphQLNamedType type, String fieldName) {
        if (!(type instanceof GraphQLInterfaceType iface) || isInterfaceObjectIn(subgraph.subgraph().name(), iface.getName())) {
            return true;
        }
        return schema.getImplementations(iface).stream()
                .filter(o -> subgraph.type(o.getName()).map(t -> t.interfaces().contains(iface.getName())).orElse(false))
                .allMatch(o -> subgraph.field(o.getName(), fieldName).map(FieldInSubgraph::answersHere).orElse(true));
    }

    int localCoverage(String subgraph, String parentType, Selection.Field field) {
        GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(parentType)).getFieldDefinition(field.name());
        String type = typeName(definition.getType());
        SubgraphSchema s = supergraph.subgraph(subgraph);
        return covered(s, type, field.selections());
    }

    /** Fields of the selection (through the fragments of @skip/@include) that the subgraph resolves. */
    int covered(SubgraphSchema s, String type, List<Selection> selections) {
        int covered = 0;
        for (Selection child : selections) {
            if (child instanceof Selection.Field f && (f.isTypename() || s.resolves(type, f.name()))) covered++;
            if (child instanceof Selection.Fragment f && f.isConditional() && f.typeCondition() == null) {
                covered += covered(s, type, f.selections());
            }
        }
        return covered;
    }

    /**
     * An interface no object type implements. A field of it that no fetch can reach is left out where a variable
     * condition guards it (or, see planSelections, beside fields the subgraph answers): no answer can ever be of
     * a type that has the field, so the shaper nulls the object with an error when the condition holds, as the
     * references answer; a planning error instead would fail the operation even when the condition skips the
     * field, where the references answer the rest.
     */
    boolean implementationLess(GraphQLNamedType type) {
        return type instanceof GraphQLInterfaceType iface && schema.getImplementations(iface).isEmpty();
    }

    /**
     * Whether {@code subgraph} answers at least one field of {@code selections} itself; the client's __typename
     * counts (the subgraph that returns the object names its type), so that {@code a { field __typename }} asks a for
     * {@code a {__typename}} and answers its error, as {@code a { id field }} does and as the references answer.
     */
    boolean answersSomething(String subgraph, String typeName, List<Selection> selections) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field field -> {
                    if (field.isTypename() || supergraph.subgraph(subgraph).field(typeName, field.name())
                            .map(FieldInSubgraph::answersHere).orElse(false)) return true;
                }
                case Selection.Fragment fragment -> {
                    if ((fragment.typeCondition() == null || fragment.typeCondition().equals(typeName))
                            && answersSomething(subgraph, typeName, fragment.selections())) return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the selections ask for __typename or for something in fragments on other types than the interface
     * itself ({@code ... on Admin { }}, emptied by a literal condition, asks for nothing: every answer is {@code {}}).
     */
    boolean needsConcreteType(String iface, List<Selection> selections) {
        return Selection.needsConcreteType(iface, selections, f -> true);
    }

    private static boolean onOtherType(String iface, Selection.Fragment fragment) {
        return fragment.typeCondition() != null && !fragment.typeCondition().equals(iface);
    }

    /**
     * The @skip/@include conditions under which the selections need an interface object's concrete type (see
     * {@link #needsConcreteType}), outermost first: those every such need is under. Empty when one need is
     * unconditional. {@code { users { __typename @include(if: $v) } }} needs it only when $v holds, so the fetch that
     * tells it is not sent otherwise, as Apollo's planner wraps it in a Condition node.
     */
    List<Selection.Condition> concreteTypeConditions(String iface, List<Selection> selections) {
        List<Selection.Condition> shared = null;
        for (Selection selection : selections) {
            if (!Selection.needsConcreteType(iface, selection, f -> true)) continue;
            List<Selection.Condition> mine = new ArrayList<>();
            if (selection instanceof Selection.Fragment f) {
                mine.addAll(f.conditions());
                if (!onOtherType(iface, f)) {
                    for (Selection.Condition inner : concreteTypeConditions(iface, f.selections())) if (!mine.contains(inner)) mine.add(inner);
                }
            }
            if (shared == null) shared = mine;
            else shared.retainAll(mine);
            if (shared.isEmpty()) return List.of();
        }
        return shared == null ? List.of() : List.copyOf(shared);
    }

    /** Whether the subgraph can return objects of type objectType where parentType (abstract) is expected. */
    boolean possibleIn(SubgraphSchema subgraph, GraphQLNamedType parentType, String objectType) {
        TypeInSubgraph object = subgraph.type(objectType).orElse(null);
        if (object == null) return false;
        return switch (parentType) {
            case GraphQLUnionType u -> subgraph.type(u.getName()).map(t -> t.unionMembers().contains(objectType)).orElse(false);
            case GraphQLInterfaceType i -> object.interfaces().contains(i.getName()) || isInterfaceObjectIn(subgraph.subgraph().name(), i.getName());
            default -> true;
        };
    }

    /** Where a field can be read through a key: the type itself, or an interface seen as an object elsewhere. */
    List<Target> targets(GraphQLNamedType type, String field) {
        List<Target> targets = new ArrayList<>();
        for (var s : supergraph.subgraphs()) {
            SubgraphSchema subgraph = supergraph.subgraph(s.name());
            subgraph.type(type.getName()).filter(t -> !t.resolvableKeys().isEmpty() && subgraph.resolves(type.getName(), field))
                    .ifPresent(t -> targets.add(new Target(s.name(), t.name(), t.resolvableKeys(),
                            t.interfaceObject() || type instanceof GraphQLInterfaceType ? t.name() : null,
                            subgraph.field(t.name(), field).map(f -> f.requires() != null).orElse(false))));
        }
        if (type instanceof GraphQLObjectType object) {
            for (var iface : object.getInterfaces()) {
                for (var s : supergraph.subgraphs()) {
                    SubgraphSchema subgraph = supergraph.subgraph(s.name());
                    subgraph.type(iface.getName()).filter(t -> t.interfaceObject() && subgraph.resolves(t.name(), field))
                            .ifPresent(t -> targets.add(new Target(s.name(), t.name(), t.resolvableKeys(), t.name(),
                                    subgraph.field(t.name(), field).map(f -> f.requires() != null).orElse(false))));
                }
            }
        }
        // Fields without @requires first: they need one fetch less.
        targets.sort(Comparator.comparing(Target::hasRequires));
        return targets;
    }

    /** Whether the subgraph's field {@code type.field} has a @requires: its fetch needs the required fields first. */
    boolean hasRequires(String subgraph, String type, String field) {
        return supergraph.subgraph(subgraph).field(type, field).map(f -> f.requires() != null).orElse(false);
    }

    /** Whether the subgraph can return every field of the selections on type (a key it must send). */
    boolean canSelect(String subgraphName, String typeName, List<Selection> selections, List<Selection> provided) {
        SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
        for (Selection selection : selections) {
            // a field under @skip/@include on a variable (normalized into a fragment around it) counts as the field
            if (selection instanceof Selection.Fragment fragment && fragment.isConditional() && fragment.typeCondition() == null) {
                if (!canSelect(subgraphName, typeName, fragment.selections(), provided)) return false;
                continue;
            }
            if (!(selection instanceof Selection.Field field) || field.isTypename()) continue;
            boolean ok = providedField(provided, typeName, field.name()) != null || subgraph.field(typeName, field.name())
                    .map(FieldInSubgraph::answersHere).orElse(false);
            if (!ok) return false;
            if (!field.isLeaf()) {
                GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(typeName)).getFieldDefinition(field.name());
                if (!canSelect(subgraphName, typeName(definition.getType()), field.selections(), providedField(provided, typeName, field.name()))) return false;
            }
        }
        return true;
    }

    boolean isEntityIn(String subgraph, String typeName) {
        return supergraph.subgraph(subgraph).type(typeName).map(TypeInSubgraph::isEntity).orElse(false);
    }

    boolean isInterfaceObjectIn(String subgraph, String typeName) {
        return supergraph.subgraph(subgraph).type(typeName).map(TypeInSubgraph::interfaceObject).orElse(false);
    }

    /** A subgraph that can resolve a field through one of its keys on {@code type} (its own name for the type). */
    record Target(String subgraph, String type, List<Key> keys, String representationTypename, boolean hasRequires) {}

    boolean isPossibleType(String abstractOrObject, String objectType) {
        return relations.isPossibleType(abstractOrObject, objectType);
    }

    /** The object types of an interface or union, as a list the planner can walk. */
    List<GraphQLObjectType> possibleObjects(GraphQLNamedType type) {
        return relations.possibleObjects(type);
    }

    /**
     * Whether the field's type has fields of its own: its selection set must not be empty, even when every
     * selection the client wrote in it was removed by a literal @skip/@include (normalized away).
     */
    static boolean isComposite(GraphQLFieldDefinition definition) {
        return !GraphQLTypeUtil.isLeaf(GraphQLTypeUtil.unwrapAll(definition.getType()));
    }

    /**
     * The type a subgraph gives the field, where it is narrower than the supergraph's (join__field type: "Book" where
     * the supergraph has a union): the selections sent there must be valid for it, so fragments on types it can
     * never be are left out.
     */
    String subgraphType(FieldInSubgraph field, GraphQLFieldDefinition definition) {
        String name = field.namedType();
        return schema.getType(name) != null ? name : typeName(definition.getType());
    }

    static boolean isAbstract(GraphQLNamedType type) {
        return TypeRelations.isAbstract(type);
    }

    static String typeName(GraphQLType type) {
        return ((GraphQLNamedType) GraphQLTypeUtil.unwrapAll(type)).getName();
    }

    /** The response path below a field: its key, then "@" for every list level of its type. */
    static List<String> childPath(List<String> path, Selection.Field field, GraphQLType type) {
        List<String> child = new ArrayList<>(path);
        child.add(field.responseKey());
        GraphQLType t = type;
        while (true) {
            if (t instanceof GraphQLNonNull nonNull) t = nonNull.getWrappedType();
            else if (t instanceof GraphQLList list) {
                child.add("@");
                t = list.getWrappedType();
            } else break;
        }
        return child;
    }

    static List<Selection> provides(FieldInSubgraph field) {
        return field.provides() == null ? null : normalize(field.provides());
    }

    /**
     * What is provided below a field: the @provides sub-selection it was reached with, else the field's own
     * @provides in this subgraph.
     */
    static List<Selection> childProvided(List<Selection> providedField, Optional<FieldInSubgraph> here) {
        return providedField != null && !providedField.isEmpty() ? providedField : here.map(SubgraphCoverage::provides).orElse(null);
    }

    /**
     * The sub-selection @provides gives for a field name at an object of {@code typeName}, an empty list for a
     * provided leaf, or null. A fragment of the @provides counts only where its type condition holds: on a union,
     * {@code ... on Book { title }} provides no Movie's title.
     */
    List<Selection> providedField(List<Selection> provided, String typeName, String name) {
        if (provided == null) return null;
        for (Selection selection : provided) {
            if (selection instanceof Selection.Field f && f.name().equals(name)) return f.selections();
            if (selection instanceof Selection.Fragment f && (f.typeCondition() == null || f.typeCondition().equals(typeName)
                    || isPossibleType(f.typeCondition(), typeName))) {
                List<Selection> inner = providedField(f.selections(), typeName, name);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    static List<Selection> normalize(FieldSet fieldSet) {
        return new SelectionNormalizer(Map.of()).normalize(fieldSet.selections());
    }

    static String arguments(Selection.Field field) {
        return field.arguments().stream().map(AstPrinter::printAstCompact).sorted().toList().toString();
    }
}
