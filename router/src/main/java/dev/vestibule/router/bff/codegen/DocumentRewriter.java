package dev.vestibule.router.bff.codegen;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds {@code __typename} to every selection on an interface or a union (as Apollo's clients do): the generated
 * decoding needs it to tell which type-conditioned fragment an object answers. Runs on a validated operation.
 */
final class DocumentRewriter {
    private final GraphQLSchema schema;

    DocumentRewriter(GraphQLSchema schema) {
        this.schema = schema;
    }

    OperationSet.Operation rewrite(OperationSet.Operation operation) {
        OperationDefinition definition = operation.definition();
        GraphQLCompositeType root = switch (definition.getOperation()) {
            case QUERY -> schema.getQueryType();
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
        };
        OperationDefinition rewritten = definition.transform(b -> b.selectionSet(rewrite(definition.getSelectionSet(), root)));
        List<FragmentDefinition> fragments = new ArrayList<>();
        for (FragmentDefinition fragment : operation.fragments()) {
            GraphQLCompositeType type = (GraphQLCompositeType) schema.getType(fragment.getTypeCondition().getName());
            fragments.add(fragment.transform(b -> b.selectionSet(rewrite(fragment.getSelectionSet(), type))));
        }
        return new OperationSet.Operation(operation.name(), operation.type(), rewritten, List.copyOf(fragments), operation.file(), operation.line());
    }

    private SelectionSet rewrite(SelectionSet set, GraphQLCompositeType type) {
        List<Selection> selections = new ArrayList<>();
        boolean typename = false;
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field when field.getSelectionSet() != null && type instanceof GraphQLFieldsContainer container -> {
                    GraphQLCompositeType fieldType = (GraphQLCompositeType) GraphQLTypeUtil.unwrapAll(container.getFieldDefinition(field.getName()).getType());
                    selections.add(field.transform(b -> b.selectionSet(rewrite(field.getSelectionSet(), fieldType))));
                }
                case Field field -> {
                    if (field.getName().equals("__typename") && field.getAlias() == null && field.getDirectives().isEmpty()) typename = true;
                    selections.add(field);
                }
                case InlineFragment inline -> {
                    GraphQLCompositeType on = inline.getTypeCondition() == null ? type
                            : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName());
                    selections.add(inline.transform(b -> b.selectionSet(rewrite(inline.getSelectionSet(), on))));
                }
                case FragmentSpread spread -> selections.add(spread);
                default -> selections.add(selection);
            }
        }
        if (!typename && (type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType)) {
            selections.add(Field.newField("__typename").build());
        }
        return set.transform(b -> b.selections(selections));
    }
}
