package dev.vestibule.router.composition;

import dev.vestibule.router.composition.CompositionResult.Composed;
import dev.vestibule.router.composition.CompositionResult.Failed;
import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
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
            if (source.name().equals("_")) {
                errors.add(new CompositionError("INVALID_SUBGRAPH_NAME", "[_] Invalid name _ for a subgraph: this name is reserved",
                        List.of(source.name()), null, 0, "rename the subgraph: \"_\" is reserved by federation"));
            }
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
        SubgraphReader.finishFederation1(models, errors);
        if (!errors.isEmpty()) return new Failed(errors, hints);
        SubgraphSetRules.check(models, errors);
        if (!errors.isEmpty()) return new Failed(errors, hints);
        MergedSchema merged = new SupergraphMerger(models, errors, hints).merge();
        if (errors.isEmpty()) checkInterfaceImplementations(models, merged, errors);
        if (errors.isEmpty()) checkInaccessibleReferences(merged, errors);
        if (errors.isEmpty()) SupergraphRules.check(models, merged, errors);
        if (errors.isEmpty()) new SatisfiabilityCheck(models, merged, errors).check();
        if (!errors.isEmpty()) return new Failed(errors, hints);
        // no graphql-java build of the result here: its schema validation walks deep type chains quadratically and
        // cost most of a 5,000-type composition; the checks above cover what merging can break (interface fields)
        return new Composed(SupergraphPrinter.print(merged), List.copyOf(hints));
    }

    /** Every field an interface gains from any subgraph must exist on each type implementing it. */
    private static void checkInterfaceImplementations(List<SubgraphModel> models, MergedSchema schema, List<CompositionError> errors) {
        for (MergedType type : schema.types.values()) {
            for (String interfaceName : type.interfaces) {
                MergedType declared = schema.types.get(interfaceName);
                if (declared == null) continue;
                for (String field : declared.fields.keySet()) {
                    if (type.fields.containsKey(field)) continue;
                    String declaring = models.stream().filter(m -> m.types.containsKey(interfaceName)
                            && m.types.get(interfaceName).fields.containsKey(field)).map(m -> m.name).findFirst().orElse("?");
                    List<String> implementing = models.stream().filter(m -> m.types.containsKey(type.name)
                            && m.types.get(type.name).interfaces.contains(interfaceName)).map(m -> m.name).toList();
                    errors.add(new CompositionError("INTERFACE_FIELD_NO_IMPLEM", "Interface field \"" + interfaceName + "." + field
                            + "\" is declared in subgraph \"" + declaring + "\" but type \"" + type.name + "\", which implements \""
                            + interfaceName + "\" only in " + (implementing.size() == 1 ? "subgraph " : "subgraphs ")
                            + SupergraphMerger.quoteList(implementing) + " does not have field \"" + field + "\".",
                            implementing, type.name + "." + field, 0, "add " + field + " to " + type.name + " in "
                            + SupergraphMerger.quoteList(implementing) + " (it may be @shareable or @external), or remove it from the interface"));
                }
            }
        }
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
