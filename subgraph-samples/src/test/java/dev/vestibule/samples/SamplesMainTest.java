package dev.vestibule.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line: what starts, and one clear line with a non-zero exit for each mistake. */
class SamplesMainTest {

    record Outcome(int exit, String out, String err, List<SubgraphServer> started) {}

    private static Outcome run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        List<SubgraphServer> started = new ArrayList<>();
        int exit = SamplesMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::addAll);
        started.forEach(SubgraphServer::close);
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), started);
    }

    @Test
    void unknownSubgraphName() {
        Outcome o = run("subgraph", "payments");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("error: unknown subgraph 'payments' (known: accounts, products, inventory, reviews, media)\n");
    }

    @Test
    void portInUse() {
        try (SubgraphServer taken = SampleSubgraphs.start("media", 0, FaultSettings.NONE)) {
            Outcome o = run("subgraph", "accounts", "--port", String.valueOf(taken.port()));
            assertThat(o.exit()).isEqualTo(1);
            assertThat(o.err()).isEqualTo("error: port " + taken.port() + " is already in use; choose another with --port N\n");
            Outcome all = run("all", "--base-port", String.valueOf(taken.port() - 4));
            assertThat(all.exit()).isEqualTo(1);
            assertThat(all.err()).contains("is already in use; choose another with --base-port N");
        }
    }

    @Test
    void badFaultFlag() {
        Outcome o = run("subgraph", "accounts", "--port", "0", "--error-rate", "lots");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("error: --error-rate needs a number, got 'lots'\n");
        assertThat(run("subgraph", "accounts", "--hang-rate", "0.7", "--http500-rate", "0.7").err())
                .startsWith("error: the fault rates add up to");
        assertThat(run("subgraph", "accounts", "--bogus", "1").err()).isEqualTo("error: unknown option --bogus (see --help)\n");
    }

    @Test
    void startsOneSubgraphWithFaultsFromFlags() {
        Outcome o = run("subgraph", "inventory", "--port", "0", "--latency-ms", "20-80", "--error-rate", "0.25");
        assertThat(o.exit()).isZero();
        assertThat(o.started()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("inventory");
            assertThat(s.faults()).isEqualTo(FaultSettings.NONE.withLatency(20, 80).withErrorRate(0.25));
        });
        assertThat(o.out()).contains("inventory").contains("/graphql");
    }

    @Test
    void helpListsSubgraphsAndFaults() {
        Outcome o = run("--help");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("accounts, products, inventory, reviews, media", "--disconnect-rate", "/admin/faults");
    }
}
