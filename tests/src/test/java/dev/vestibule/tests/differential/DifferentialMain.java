package dev.vestibule.tests.differential;

import dev.vestibule.router.RouterSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The differential tester's full runs (tests/differential/run.sh wraps this):
 * <pre>
 *   --target samples|audit|all  the project's sample graph (its subgraphs started here), the audit's supergraphs, or
 *                            both in one run (the sample graph first)
 *   --supergraphs DIR        for audit and all: the folder run-audit.sh --serve-only wrote (DIR/*.graphql; its server running)
 *   --suites a,b             for audit and all: only these supergraphs (and "samples" for the sample graph)
 *   --seed N --count N       the first seed, and the operations in all (spread evenly over the supergraphs)
 *   --references apollo,hive the reference gateways (default both)
 *   --mutations              mutations too (they change the subgraphs' state: answers may then differ for that reason)
 *   --fail-subgraphs         fault injection: each supergraph once per subgraph, that one answering every request
 *                            HTTP 500 with a GraphQL error (FailingSubgraphs); --count is spread over these targets.
 *                            Besides the usual comparison, an answer of Vestibule without errors though it asked the
 *                            failing subgraph is a difference of its own (no errors though a subgraph it asked failed)
 *   --shrink-checks N        the shrinker's budget of re-runs per difference (0: no shrinking; default 150)
 *   --latency-repeats N      after each supergraph's comparison pass, time each operation N times per gateway, the
 *                            gateways interleaved, and compare medians (0, the default: only the comparison's single
 *                            timing per gateway, cold); --latency-warmup N untimed rounds before them (default 1);
 *                            an operation first slower on Vestibule is timed again alone (DifferentialRunner.Timing)
 *   --out DIR                where summary.txt, summary.json, differences/, references-disagree/ and
 *                            reference-no-answer/ go (rewritten after each supergraph, so a stopped run leaves its figures)
 *   --commit X               recorded in the summary
 * </pre>
 */
public final class DifferentialMain {
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> flags = List.of("--mutations", "--fail-subgraphs");
        for (int i = 0; i < args.length; i++) {
            if (flags.contains(args[i])) options.put(args[i], "true");
            else if (args[i].startsWith("--") && i + 1 < args.length) options.put(args[i], args[++i]);
            else throw new IllegalArgumentException("unexpected argument " + args[i] + " (see DifferentialMain's documentation)");
        }
        String target = options.getOrDefault("--target", "samples");
        long seed = Long.parseLong(options.getOrDefault("--seed", "1"));
        int count = Integer.parseInt(options.getOrDefault("--count", "1000"));
        int shrinkChecks = Integer.parseInt(options.getOrDefault("--shrink-checks", "150"));
        Path out = Path.of(options.getOrDefault("--out", "tests/target/differential"));
        OperationGenerator.Options generatorOptions = OperationGenerator.Options.DEFAULTS.withMutations(options.containsKey("--mutations"));

        List<ReferenceGateway> references = new ArrayList<>();
        List<DifferentialRunner.Target> targets = new ArrayList<>();
        SampleGraph samples = null;
        FailingSubgraphs failing = options.containsKey("--fail-subgraphs") ? new FailingSubgraphs() : null;
        try {
            for (String id : options.getOrDefault("--references", "apollo,hive").split(",")) {
                references.add(ReferenceGateway.start(ReferenceGateway.Kind.of(id.trim())));
            }
            String suites = options.get("--suites");
            if (!List.of("samples", "audit", "all").contains(target)) throw new IllegalArgumentException("--target must be samples, audit or all");
            if (target.equals("samples") || target.equals("all") && (suites == null || List.of(suites.split(",")).contains("samples"))) {
                samples = new SampleGraph(Path.of(options.getOrDefault("--supergraph", "schemas/supergraph.graphql")));
                targets.add(samples.target());
            }
            if (!target.equals("samples")) targets.addAll(auditTargets(Path.of(require(options, "--supergraphs")), suites));
            if (failing != null) targets = targets.stream().flatMap(t -> failing.each(t).stream()).toList();
            int perTarget = (count + targets.size() - 1) / targets.size();
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("date", Instant.now().toString());
            header.put("commit", options.getOrDefault("--commit", "unknown"));
            header.put("target", target);
            header.put("failingSubgraphs", failing != null);
            header.put("supergraphs", targets.size());
            header.put("seed", seed);
            header.put("operationsPerSupergraph", perTarget);
            header.put("references", references.stream().map(r -> r.kind().title()).toList());
            long start = System.nanoTime();
            DifferentialRunner.Report report;
            DifferentialRunner runner = new DifferentialRunner(references, RouterSettings.DEFAULTS.withExposeSubgraphErrors(true),
                    failing == null ? null : failing::vestibuleRequests);
            int latencyRepeats = Integer.parseInt(options.getOrDefault("--latency-repeats", "0"));
            int latencyWarmup = Integer.parseInt(options.getOrDefault("--latency-warmup", "1"));
            header.put("latencyRepeats", latencyRepeats);
            if (latencyRepeats > 0) header.put("latencyWarmupRounds", latencyWarmup);
            header.put("loadAverageAtStart", DifferentialRunner.loadAverage());
            report = runner.run(targets, new DifferentialRunner.Settings(seed, perTarget, generatorOptions, shrinkChecks,
                    (supergraph, c) -> KnownDifferences.explain(supergraph, c).map(KnownDifferences.Known::name), true)
                            .withLatency(latencyRepeats, latencyWarmup),
                    line -> System.out.println(line), soFar -> {
                        Map<String, Object> partial = new LinkedHashMap<>(header);
                        partial.put("seconds", (System.nanoTime() - start) / 1_000_000_000);
                        partial.put("complete", false);
                        try {
                            DifferentialRunner.write(soFar, out, partial);
                        } catch (IOException e) {
                            System.err.println("cannot write the figures so far to " + out + ": " + e.getMessage());
                        }
                    });
            header.put("seconds", (System.nanoTime() - start) / 1_000_000_000);
            header.put("complete", true);
            header.put("loadAverageAtEnd", DifferentialRunner.loadAverage());
            header.put("referenceRestarts", references.stream().collect(Collectors.toMap(r -> r.kind().id(), ReferenceGateway::restarts)));
            DifferentialRunner.write(report, out, header);
            System.out.println(Files.readString(out.resolve("summary.txt")));
            System.out.println("details: " + out.toAbsolutePath());
        } finally {
            references.forEach(ReferenceGateway::close);
            if (samples != null) samples.close();
            if (failing != null) failing.close();
        }
        System.exit(0);
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) throw new IllegalArgumentException(name + " is required for this target");
        return value;
    }

    private static List<DifferentialRunner.Target> auditTargets(Path folder, String suites) throws IOException {
        List<String> only = suites == null ? null : List.of(suites.split(","));
        List<DifferentialRunner.Target> targets = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".graphql")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.graphql$", "");
                if (only == null || only.contains(name)) targets.add(new DifferentialRunner.Target(name, Files.readString(file)));
            }
        }
        if (targets.isEmpty()) throw new IllegalArgumentException("no supergraph (*.graphql) in " + folder);
        return targets;
    }
}
