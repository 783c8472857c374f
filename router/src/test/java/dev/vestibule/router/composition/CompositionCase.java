package dev.vestibule.router.composition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of the composition corpus, a file under {@code src/test/resources/composition/cases}:
 * <pre>
 * # What the case covers.
 * # expect-error: KEY_INVALID_FIELDS              (absent: the subgraphs compose)
 * # expect-message: Cannot query field "idd"      (text our message must contain; repeatable)
 * # apollo-error: OTHER_CODE                      (when Apollo names the same problem differently)
 * # apollo-composes: why                          (a deliberate difference: Apollo composes what we reject;
 *                                                   "unloadable ..." also asserts the router refuses Apollo's supergraph)
 * # --- subgraph accounts
 * ...SDL...
 * # --- subgraph reviews
 * ...SDL...
 * </pre>
 */
record CompositionCase(String name, List<SubgraphSource> subgraphs, String expectedError, List<String> expectedMessages,
                       String apolloError, String apolloComposes) {

    static CompositionCase read(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".graphql", "");
        String expectedError = null;
        String apolloError = null;
        String apolloComposes = null;
        List<String> messages = new ArrayList<>();
        List<SubgraphSource> subgraphs = new ArrayList<>();
        String subgraph = null;
        StringBuilder sdl = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# --- subgraph ")) {
                if (subgraph != null) subgraphs.add(source(subgraph, sdl.toString()));
                subgraph = line.substring("# --- subgraph ".length()).trim();
                sdl.setLength(0);
            } else if (subgraph != null) {
                sdl.append(line).append('\n');
            } else if (line.startsWith("# expect-error:")) {
                expectedError = line.substring("# expect-error:".length()).trim();
            } else if (line.startsWith("# expect-message:")) {
                messages.add(line.substring("# expect-message:".length()).trim());
            } else if (line.startsWith("# apollo-error:")) {
                apolloError = line.substring("# apollo-error:".length()).trim();
            } else if (line.startsWith("# apollo-composes:")) {
                apolloComposes = line.substring("# apollo-composes:".length()).trim();
            }
        }
        if (subgraph != null) subgraphs.add(source(subgraph, sdl.toString()));
        if (subgraphs.isEmpty()) throw new IllegalStateException(file + ": no '# --- subgraph NAME' section");
        if (apolloComposes != null && expectedError == null) throw new IllegalStateException(file + ": apollo-composes needs expect-error");
        return new CompositionCase(name, List.copyOf(subgraphs), expectedError, List.copyOf(messages), apolloError, apolloComposes);
    }

    private static SubgraphSource source(String name, String sdl) {
        return new SubgraphSource(name, "http://" + name + ".internal:4000/graphql", sdl);
    }
}
