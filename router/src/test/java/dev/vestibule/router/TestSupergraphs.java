package dev.vestibule.router;

import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Supergraphs the tests plan against: the sample graph's (schemas/supergraph.graphql) and the benchmark's. */
public final class TestSupergraphs {
    private TestSupergraphs() {}

    public static String sampleSdl() {
        return read(Path.of("..", "schemas", "supergraph.graphql"));
    }

    public static Supergraph sample() {
        return SupergraphLoader.load(sampleSdl());
    }

    public static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
