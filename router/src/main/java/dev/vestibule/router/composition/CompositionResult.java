package dev.vestibule.router.composition;

import java.util.List;

/** The outcome of composing subgraphs: a supergraph, or the errors that prevent one. Hints come with both. */
public sealed interface CompositionResult {
    List<CompositionHint> hints();

    record Composed(String supergraphSdl, List<CompositionHint> hints) implements CompositionResult {}

    record Failed(List<CompositionError> errors, List<CompositionHint> hints) implements CompositionResult {
        public String describe() {
            StringBuilder text = new StringBuilder();
            for (CompositionError error : errors) text.append(error.describe()).append('\n');
            return text.toString();
        }
    }
}
