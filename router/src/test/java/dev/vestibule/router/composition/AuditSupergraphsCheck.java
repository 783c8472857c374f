package dev.vestibule.router.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.composition.CompositionResult.Composed;
import dev.vestibule.router.composition.CompositionResult.Failed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Composes the federation-gateway-audit's suites offline: a folder written by the audit runner
 * ({@code run-audit.sh --out DIR} leaves {@code DIR/supergraphs/SUITE.graphql}, Apollo's supergraph, beside
 * {@code SUITE.subgraphs.json}, its subgraphs) is composed suite by suite and compared with Apollo's supergraph.
 * A tool (the audit is not in the repository), like {@code tests/audit/compose-audit.sh} without the running server:
 * {@code java -cp ... dev.vestibule.router.composition.AuditSupergraphsCheck DIR/supergraphs}.
 */
public final class AuditSupergraphsCheck {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        ObjectMapper json = new ObjectMapper();
        int equivalent = 0;
        int different = 0;
        long totalNanos = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".subgraphs.json")).sorted().toList()) {
                String suite = file.getFileName().toString().replace(".subgraphs.json", "");
                List<SubgraphSource> subgraphs = new ArrayList<>();
                for (JsonNode s : json.readTree(file.toFile())) {
                    subgraphs.add(new SubgraphSource(s.get("name").asText(), s.get("url").asText(), s.get("sdl").asText()));
                }
                long start = System.nanoTime();
                CompositionResult result = Composer.compose(subgraphs);
                totalNanos += System.nanoTime() - start;
                String apollo = Files.readString(folder.resolve(suite + ".graphql"));
                List<String> differences = result instanceof Composed composed
                        ? SupergraphEquivalence.differences(apollo, composed.supergraphSdl()) : List.of(((Failed) result).describe());
                if (differences.isEmpty()) {
                    equivalent++;
                    System.out.println("ok   " + suite);
                } else {
                    different++;
                    System.out.println("FAIL " + suite + "\n     " + String.join("\n     ", differences));
                }
            }
        }
        System.out.printf("composed equivalently: %d, different or failed: %d (%d ms composing in all)%n", equivalent, different, totalNanos / 1_000_000);
    }
}
