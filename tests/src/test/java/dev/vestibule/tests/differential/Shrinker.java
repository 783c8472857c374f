package dev.vestibule.tests.differential;

import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.AstTransformer;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.util.TreeTransformerUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Makes a failing operation small: tries, one at a time, to remove a selection (field, inline fragment, fragment
 * spread), a directive, an alias or an argument, and to put a fragment's selections in place of its spread; keeps each
 * step after which the operation is still valid and {@code stillFails} still holds, until no step does (or the budget
 * of predicate calls is spent). Fragments and variables nothing uses any more go with each step.
 */
public final class Shrinker {
    private final GraphQLSchema schema;
    private final int maxChecks;

    public Shrinker(GraphQLSchema schema, int maxChecks) {
        this.schema = schema;
        this.maxChecks = maxChecks;
    }

    public GeneratedOperation shrink(GeneratedOperation failing, Predicate<GeneratedOperation> stillFails) {
        GeneratedOperation current = failing;
        int checks = 0;
        boolean progress = true;
        while (progress && checks < maxChecks) {
            progress = false;
            for (Edit edit : Edit.values()) {
                // the k-th node of the edit's kind; after a kept step, the same k names the next node
                for (int k = 0; checks < maxChecks; ) {
                    Candidate candidate = apply(current, edit, k);
                    if (candidate == null) break;
                    if (candidate.operation() == null) {
                        k++;
                        continue;
                    }
                    checks++;
                    if (stillFails.test(candidate.operation())) {
                        current = candidate.operation();
                        progress = true;
                    } else {
                        k++;
                    }
                }
            }
        }
        return current;
    }

    private enum Edit { REMOVE_SELECTION, INLINE_SPREAD, UNWRAP_INLINE_FRAGMENT, REMOVE_DIRECTIVE, REMOVE_ALIAS, REMOVE_ARGUMENT }

    /** {@code null}: there is no k-th node; a candidate without an operation: the edit gives an invalid one. */
    private record Candidate(GeneratedOperation operation) {}

    private Candidate apply(GeneratedOperation operation, Edit edit, int k) {
        Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
        operation.document().getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        int[] seen = {0};
        boolean[] applied = {false};
        Function<TraverserContext<Node>, Boolean> mine = context -> {
            if (seen[0]++ == k) {
                applied[0] = true;
                return true;
            }
            return false;
        };
        NodeVisitorStub visitor = switch (edit) {
            case REMOVE_SELECTION -> new NodeVisitorStub() {
                @Override
                public TraversalControl visitField(Field node, TraverserContext<Node> context) {
                    return mine.apply(context) ? TreeTransformerUtil.deleteNode(context) : TraversalControl.CONTINUE;
                }

                @Override
                public TraversalControl visitInlineFragment(InlineFragment node, TraverserContext<Node> context) {
                    return mine.apply(context) ? TreeTransformerUtil.deleteNode(context) : TraversalControl.CONTINUE;
                }

                @Override
                public TraversalControl visitFragmentSpread(FragmentSpread node, TraverserContext<Node> context) {
                    return mine.apply(context) ? TreeTransformerUtil.deleteNode(context) : TraversalControl.CONTINUE;
                }
            };
            case INLINE_SPREAD -> new NodeVisitorStub() {
                @Override
                public TraversalControl visitFragmentSpread(FragmentSpread node, TraverserContext<Node> context) {
                    if (!mine.apply(context)) return TraversalControl.CONTINUE;
                    FragmentDefinition definition = fragments.get(node.getName());
                    return TreeTransformerUtil.changeNode(context, InlineFragment.newInlineFragment()
                            .typeCondition(definition.getTypeCondition()).directives(node.getDirectives())
                            .selectionSet(definition.getSelectionSet()).build());
                }
            };
            case UNWRAP_INLINE_FRAGMENT -> new NodeVisitorStub() {
                // an inline fragment without directives gives way to its selections (valid where its type is the parent's)
                @Override
                public TraversalControl visitSelectionSet(SelectionSet node, TraverserContext<Node> context) {
                    List<Selection> selections = node.getSelections();
                    for (int i = 0; i < selections.size(); i++) {
                        if (selections.get(i) instanceof InlineFragment inline && inline.getDirectives().isEmpty() && mine.apply(context)) {
                            List<Selection> spliced = new ArrayList<>(selections.subList(0, i));
                            spliced.addAll(inline.getSelectionSet().getSelections());
                            spliced.addAll(selections.subList(i + 1, selections.size()));
                            return TreeTransformerUtil.changeNode(context, node.transform(b -> b.selections(spliced)));
                        }
                    }
                    return TraversalControl.CONTINUE;
                }
            };
            case REMOVE_DIRECTIVE -> new NodeVisitorStub() {
                @Override
                public TraversalControl visitDirective(Directive node, TraverserContext<Node> context) {
                    return mine.apply(context) ? TreeTransformerUtil.deleteNode(context) : TraversalControl.CONTINUE;
                }
            };
            case REMOVE_ALIAS -> new NodeVisitorStub() {
                @Override
                public TraversalControl visitField(Field node, TraverserContext<Node> context) {
                    if (node.getAlias() == null || !mine.apply(context)) return TraversalControl.CONTINUE;
                    return TreeTransformerUtil.changeNode(context, node.transform(b -> b.alias(null)));
                }
            };
            case REMOVE_ARGUMENT -> new NodeVisitorStub() {
                @Override
                public TraversalControl visitField(Field node, TraverserContext<Node> context) {
                    if (node.getArguments().isEmpty()) return TraversalControl.CONTINUE;
                    for (int i = 0; i < node.getArguments().size(); i++) {
                        if (mine.apply(context)) {
                            int drop = i;
                            List<Argument> kept = new ArrayList<>(node.getArguments());
                            kept.remove(drop);
                            return TreeTransformerUtil.changeNode(context, node.transform(b -> b.arguments(kept)));
                        }
                    }
                    return TraversalControl.CONTINUE;
                }
            };
        };
        Document changed = (Document) new AstTransformer().transform(operation.document(), visitor);
        if (!applied[0]) return null;
        return new Candidate(tidy(changed, operation.variables()));
    }

    /**
     * Drops the fragments and variables nothing uses any more, then prints and parses the result again (an emptied
     * selection set does not parse) and validates it; {@code null} when it is not a valid operation.
     */
    GeneratedOperation tidy(Document document, Map<String, Object> variables) {
        Document current = document;
        while (true) {
            Set<String> spread = new LinkedHashSet<>();
            Set<String> used = new LinkedHashSet<>();
            new NodeTraverser().depthFirst(new NodeVisitorStub() {
                @Override
                public TraversalControl visitFragmentSpread(FragmentSpread node, TraverserContext<Node> context) {
                    spread.add(node.getName());
                    return TraversalControl.CONTINUE;
                }

                @Override
                public TraversalControl visitVariableReference(VariableReference node, TraverserContext<Node> context) {
                    used.add(node.getName());
                    return TraversalControl.CONTINUE;
                }
            }, current.getDefinitions());
            List<Definition> kept = new ArrayList<>();
            boolean dropped = false;
            for (var definition : current.getDefinitions()) {
                if (definition instanceof FragmentDefinition fragment && !spread.contains(fragment.getName())) {
                    dropped = true;
                } else if (definition instanceof OperationDefinition op) {
                    List<VariableDefinition> variableDefinitions = op.getVariableDefinitions().stream()
                            .filter(v -> used.contains(v.getName())).toList();
                    if (variableDefinitions.size() != op.getVariableDefinitions().size()) dropped = true;
                    kept.add(op.transform(b -> b.variableDefinitions(variableDefinitions)));
                } else {
                    kept.add(definition);
                }
            }
            current = current.transform(b -> b.definitions(kept));
            if (!dropped) {
                Map<String, Object> values = new LinkedHashMap<>(variables);
                values.keySet().retainAll(used);
                try {
                    Document reparsed = Parser.parse(AstPrinter.printAst(current));
                    if (!OperationGenerator.validate(schema, reparsed).isEmpty()) return null;
                    return new GeneratedOperation(reparsed, values);
                } catch (InvalidSyntaxException e) {
                    return null;
                }
            }
        }
    }
}
