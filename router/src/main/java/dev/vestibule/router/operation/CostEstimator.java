package dev.vestibule.router.operation;

import dev.vestibule.router.supergraph.DemandControl;
import graphql.language.Argument;
import graphql.language.IntValue;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import java.util.List;
import java.util.Map;

/**
 * The static estimated cost of an operation, in the manner of the demand-control (IBM cost) spec Apollo implements:
 * every object a field returns costs 1 (or its type's or the field's @cost weight), leaves cost 0 (or their
 * @cost), a list multiplies its items' cost by its estimated size (the value of its @listSize slicing argument, else
 * its assumedSize, else the configured default), and each mutation root field adds 10. Fragments on abstract types
 * are all counted: an upper bound.
 */
public final class CostEstimator {
    private static final long MUTATION_ROOT_COST = 10;
    private final GraphQLSchema schema;
    private final DemandControl demand;
    private final int defaultListSize;

    public CostEstimator(GraphQLSchema schema, DemandControl demand, int defaultListSize) {
        this.schema = schema;
        this.demand = demand;
        this.defaultListSize = defaultListSize;
    }

    public long estimate(List<Selection> selections, String rootType, Map<String, Object> variables) {
        GraphQLFieldsContainer root = (GraphQLFieldsContainer) schema.getType(rootType);
        long cost = cost(selections, root, variables);
        if (root == schema.getMutationType()) {
            for (Selection selection : selections) if (selection instanceof Selection.Field f && !f.name().startsWith("__")) cost += MUTATION_ROOT_COST;
        }
        return cost;
    }

    private long cost(List<Selection> selections, GraphQLFieldsContainer parent, Map<String, Object> variables) {
        long total = 0;
        for (Selection selection : selections) {
            total = saturatedAdd(total, switch (selection) {
                case Selection.Field field -> field(field, parent, variables);
                case Selection.Fragment fragment -> {
                    GraphQLType condition = fragment.typeCondition() == null ? parent : schema.getType(fragment.typeCondition());
                    yield cost(fragment.selections(), condition instanceof GraphQLFieldsContainer c ? c : null, variables);
                }
            });
        }
        return total;
    }

    private long field(Selection.Field field, GraphQLFieldsContainer parent, Map<String, Object> variables) {
        if (parent == null || field.name().startsWith("__")) return 0;
        GraphQLFieldDefinition definition = parent.getFieldDefinition(field.name());
        if (definition == null) return 0;
        String coordinate = parent.getName() + "." + field.name();
        GraphQLType type = definition.getType();
        GraphQLNamedType named = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(type);
        boolean composite = named instanceof GraphQLFieldsContainer || named instanceof GraphQLUnionType;
        Integer weight = demand.weights().get(coordinate);
        if (weight == null) weight = demand.weights().get(named.getName());
        long item = (weight != null ? weight : composite ? 1 : 0)
                + (composite ? cost(field.selections(), named instanceof GraphQLFieldsContainer c ? c : null, variables) : 0);
        return isList(type) ? saturatedMultiply(item, listSize(field, coordinate, variables)) : item;
    }

    private long listSize(Selection.Field field, String coordinate, Map<String, Object> variables) {
        DemandControl.ListSize size = demand.listSizes().get(coordinate);
        if (size != null) {
            for (String slicing : size.slicingArguments()) {
                for (Argument argument : field.arguments()) {
                    if (!argument.getName().equals(slicing)) continue;
                    if (argument.getValue() instanceof IntValue i) return i.getValue().longValue();
                    if (argument.getValue() instanceof VariableReference v && variables.get(v.getName()) instanceof Number n) return n.longValue();
                }
            }
            if (size.assumedSize() != null) return size.assumedSize();
        }
        return defaultListSize;
    }

    private static boolean isList(GraphQLType type) {
        GraphQLType unwrapped = type instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : type;
        return unwrapped instanceof GraphQLList;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return (high == 0 && product >= 0) || (high == -1 && product < 0) ? product : Long.MAX_VALUE;
    }
}
