package dev.vestibule.router.supergraph;

import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every supergraph the router's tests know: the fixtures, the samples, the benchmark graph, each composable corpus case. */
final class KnownSupergraphs {
    private KnownSupergraphs() {}

    static List<String> all() throws IOException {
        List<String> supergraphs = new ArrayList<>();
        for (String folder : List.of("src/test/resources/supergraphs", "src/test/resources/fed1", "src/test/resources/bench")) {
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".graphql") && !f.endsWith("query.graphql")).sorted().toList()) {
                    supergraphs.add(Files.readString(file));
                }
            }
        }
        supergraphs.add(Files.readString(Path.of("..", "schemas", "supergraph.graphql")));
        try (Stream<Path> cases = Files.list(Path.of("src/test/resources/composition/cases"))) {
            for (Path file : cases.sorted().toList()) {
                if (Files.readString(file).contains("# expect-error:")) continue;
                if (Composer.compose(corpusCase(file)) instanceof CompositionResult.Composed composed) {
                    supergraphs.add(composed.supergraphSdl());
                }
            }
        }
        return supergraphs;
    }

    private static List<SubgraphSource> corpusCase(Path file) throws IOException {
        List<SubgraphSource> subgraphs = new ArrayList<>();
        String name = null;
        StringBuilder sdl = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# --- subgraph ")) {
                if (name != null) subgraphs.add(new SubgraphSource(name, "http://" + name + ".internal/graphql", sdl.toString()));
                name = line.substring("# --- subgraph ".length()).trim();
                sdl.setLength(0);
            } else if (name != null) {
                sdl.append(line).append('\n');
            }
        }
        if (name != null) subgraphs.add(new SubgraphSource(name, "http://" + name + ".internal/graphql", sdl.toString()));
        return subgraphs;
    }
}
