package dev.vestibule.tests.differential;

import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's sample subgraphs on free ports, and schemas/supergraph.graphql with its URLs pointed at them. */
final class SampleGraph implements AutoCloseable {
    private final SampleSubgraphs.Running subgraphs;
    private final DifferentialRunner.Target target;

    SampleGraph(Path supergraphFile) throws IOException {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        String sdl = Files.readString(supergraphFile);
        for (String name : SampleSubgraphs.names()) {
            sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                    subgraphs.get(name).url());
        }
        target = new DifferentialRunner.Target("samples", sdl);
    }

    DifferentialRunner.Target target() {
        return target;
    }

    @Override
    public void close() {
        subgraphs.close();
    }
}
