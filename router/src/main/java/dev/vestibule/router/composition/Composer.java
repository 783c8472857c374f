package dev.vestibule.router.composition;

import dev.vestibule.router.composition.CompositionResult.Composed;
import dev.vestibule.router.composition.CompositionResult.Failed;
import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.supergraph.SupergraphException;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Composes Federation 1 and 2 subgraph schemas into a join-spec supergraph, as Apollo's composition does: read and
 * validate each subgraph, merge them, check the result, print it. The same subgraphs in any order give the same bytes.
 */
public final class Composer {
    private Composer() {}

    public static CompositionResult compose(List<SubgraphSource> sources) {
        List<CompositionError> errors = new ArrayList<>();
        List<CompositionHint> hints = new ArrayList<>();
        if (sources.isEmpty()) {
            errors.add(new CompositionError("NO_SUBGRAPHS", "There is nothing to compose: no subgraph was given.", List.of(),
                    null, 0, "list the subgraphs in the config file or pass --subgraph NAME=URL@FILE"));
            return new Failed(errors, hints);
        }
        Set<String> names = new HashSet<>();
        for (SubgraphSource source : sources) {
            if (!names.add(source.name())) {
                errors.add(new CompositionError("DUPLICATE_SUBGRAPH_NAME", "Two subgraphs are named \"" + source.name() + "\"",
                        List.of(source.name()), null, 0, "give every subgraph a distinct name"));
            }
        }
        if (!errors.isEmpty()) return new Failed(errors, hints);
        List<SubgraphModel> models = new ArrayList<>();
        sources.stream().sorted(Comparator.comparing(SubgraphSource::name)).forEach(source -> {
            SubgraphModel model = SubgraphReader.read(source, errors);
            if (model != null) models.add(model);
        });
        if (!errors.isEmpty()) return new Failed(errors, hints);
        MergedSchema merged = new SupergraphMerger(models, errors, hints).merge();
        if (errors.isEmpty()) checkInaccessibleReferences(merged, errors);
        if (errors.isEmpty()) new SatisfiabilityCheck(models, merged, errors).check();
        if (!errors.isEmpty()) return new Failed(errors, hints);
        String sdl = SupergraphPrinter.print(merged);
        try {
            SupergraphLoader.load(sdl);
        } catch (SupergraphException e) {
            errors.add(new CompositionError("INVALID_SUPERGRAPH", "The merged supergraph is not a valid schema: " + e.getMessage(),
                    List.of(), null, 0, "the subgraphs compose into an invalid schema; the message names the element to fix"));
            return new Failed(errors, hints);
        }
        return new Composed(sdl, List.copyOf(hints));
    }

    /** An element clients can see may not return or take a type hidden by @inaccessible. */
    private static void checkInaccessibleReferences(MergedSchema schema, List<CompositionError> errors) {
        Set<String> hidden = new HashSet<>();
        schema.types.values().stream().filter(t -> t.directives.contains("@inaccessible")).forEach(t -> hidden.add(t.name));
        if (hidden.isEmpty()) return;
        for (MergedType type : schema.types.values()) {
            if (hidden.contains(type.name)) continue;
            for (MergedField field : type.fields.values()) {
                if (field.directives.contains("@inaccessible")) continue;
                String named = field.type.replaceAll("[\\[\\]!]", "");
                if (hidden.contains(named)) {
                    errors.add(new CompositionError("REFERENCED_INACCESSIBLE", "Type \"" + named + "\" is @inaccessible but is referenced by \""
                            + type.name + "." + field.name + "\", which is in the API schema.", List.of(), type.name + "." + field.name, 0,
                            "mark " + type.name + "." + field.name + " @inaccessible too, or make " + named + " accessible"));
                }
            }
        }
    }
}
