package dev.vestibule.tests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.OperationPreparer;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.planner.PlanJson;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.planner.QueryPlanner;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.tests.differential.GeneratedOperation;
import dev.vestibule.tests.differential.OperationGenerator;
import dev.vestibule.tests.differential.Shrinker;
import dev.vestibule.tests.differential.ValuePool;
import dev.vestibule.tests.testkit.NpmCache;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Plan quality and planning time (issue #23), run by tests/bench/plan-bench.sh: for each supergraph, operations from
 * the differential tester's generator are planned by Vestibule's planner (here), by Apollo's query planner
 * ({@code @apollo/query-planner}, Apollo Gateway's) and by Hive's Rust planner ({@code @graphql-hive/router-query-planner},
 * Hive Router's) in a Node process ({@code bench/reference-planners.mjs}), one supergraph after another in one run.
 *
 * <p>Fetch counts are the subgraph requests a plan makes for the operation's variables (a condition on a variable
 * counts the branch those values take). Planning time is cold per operation: each planner is made once per
 * supergraph, a warm-up set of other operations (another seed) is planned first and not timed, then each operation is
 * planned once, as a router plans an operation it has not seen (no plan cache). Vestibule's time covers normalizing
 * the parsed, validated operation and planning it; Apollo's normalizing (operationFromDocument) and planning; Hive's
 * its addon call (parse, normalize, plan), a slight handicap for Hive.
 *
 * <pre>
 *   --supergraph NAME=FILE   a supergraph to plan on (repeatable); NAME groups it in the tables (audit/x, samples, generated-200)
 *   --supergraphs DIR        every DIR/*.graphql, named audit/FILE (the folder run-audit.sh --serve-only writes)
 *   --count N                operations per supergraph (default 100); --warmup N (default 30); --seed N (default 1)
 *   --operations FILE        the operations of a differential run (its OUT/operations.jsonl) instead of new ones, for
 *                            the supergraphs it ran on (its "samples" is samples here, its audit suite x is audit/x)
 *   --shrink N               shrinks up to N operations per supergraph where Vestibule needs more fetches than Apollo's
 *                            planner (default 2; 0: none) to small ones that still do (more-fetches.json, "shrunk")
 *   --out DIR                operations.jsonl, more-fetches.json, summary.json, summary.md
 * </pre>
 */
public final class PlanningBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APOLLO_PLANNER = "2.14.1";
    private static final String HIVE_PLANNER = "0.0.38";

    /** One planner's result for one operation: the fetches it needs and its planning time, or why it failed. */
    record Planned(int fetches, long micros, String error) {
        static Planned failed(long micros, String error) {
            return new Planned(-1, micros, error);
        }

        boolean ok() {
            return error == null;
        }
    }

    /**
     * {@code answers}: for an operation of a differential run, how the gateways answered it there ("agree", or where
     * the references disagreed, "references disagree, Vestibule agrees with hive"); null for a generated one.
     */
    record Row(String supergraph, String group, long seed, String operation, Map<String, Object> variables,
               Planned vestibule, Planned apollo, Planned hive, Shrunk shrunk, String answers) {
        /**
         * In the differential run, Apollo Gateway answered other data or errors than both Hive Gateway and Vestibule,
         * which agreed: where its planner needs fewer fetches, its plan is not one that answers the operation.
         */
        boolean apolloAnswersAlone() {
            return APOLLO_ALONE.equals(answers);
        }
    }

    static final String APOLLO_ALONE = "references disagree, Vestibule agrees with hive";

    /** A small operation on which Vestibule still needs more fetches than Apollo's planner. */
    record Shrunk(String operation, Map<String, Object> variables, int vestibule, int apollo, int hive) {}

    public static void main(String[] args) throws Exception {
        Map<String, Path> supergraphs = new LinkedHashMap<>();
        int count = 100;
        int warmup = 30;
        int shrink = 2;
        long seed = 1;
        Path out = Path.of("tests/target/plan-bench");
        Map<String, List<JsonNode>> recorded = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--supergraph" -> {
                    String[] named = value.split("=", 2);
                    if (named.length != 2) throw new IllegalArgumentException("--supergraph NAME=FILE, got " + value);
                    supergraphs.put(named[0], Path.of(named[1]));
                }
                case "--supergraphs" -> {
                    try (Stream<Path> files = Files.list(Path.of(value))) {
                        files.filter(f -> f.toString().endsWith(".graphql")).sorted()
                                .forEach(f -> supergraphs.put("audit/" + f.getFileName().toString().replaceFirst("\\.graphql$", ""), f));
                    }
                }
                case "--count" -> count = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--shrink" -> shrink = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--operations" -> {
                    for (String line : Files.readAllLines(Path.of(value))) {
                        if (line.isBlank()) continue;
                        JsonNode op = JSON.readTree(line);
                        recorded.computeIfAbsent(op.path("supergraph").asText(), k -> new ArrayList<>()).add(op);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (see PlanningBench's documentation)");
            }
            i++;
        }
        if (supergraphs.isEmpty()) throw new IllegalArgumentException("no supergraph: --supergraph NAME=FILE or --supergraphs DIR");
        Files.createDirectories(out);

        List<Row> rows = new ArrayList<>();
        Instant started = Instant.now();
        try (ReferencePlanners references = ReferencePlanners.start();
             BufferedWriter lines = Files.newBufferedWriter(out.resolve("operations.jsonl"))) {
            for (Map.Entry<String, Path> entry : supergraphs.entrySet()) {
                String name = entry.getKey();
                String sdl = Files.readString(entry.getValue());
                Supergraph supergraph;
                try {
                    supergraph = SupergraphLoader.load(sdl);
                } catch (RuntimeException e) {
                    System.out.println(name + ": Vestibule cannot load it (" + e.getMessage() + "), left out");
                    continue;
                }
                OperationGenerator generator = new OperationGenerator(supergraph.apiSchema(), OperationGenerator.Options.DEFAULTS, new ValuePool());
                OperationPreparer preparer = new OperationPreparer(supergraph.apiSchema(), 64);
                List<JsonNode> fromRun = recorded.get(name.startsWith("audit/") ? name.substring("audit/".length()) : name);
                List<Prepared> measured = fromRun == null ? operations(generator, preparer, name, seed, count) : recorded(preparer, name, fromRun);
                List<Prepared> warming = operations(generator, preparer, name, seed + 7_777, warmup);

                JsonNode answer = references.plan(name, sdl, warming, measured);
                QueryPlanner planner = new QueryPlanner(supergraph);
                for (Prepared op : warming) plan(planner, op);
                int shrunkHere = 0;
                for (int i = 0; i < measured.size(); i++) {
                    Prepared op = measured.get(i);
                    Planned vestibule = plan(planner, op);
                    Planned apollo = reference(answer.path("apollo").get(i), op.variables());
                    Planned hive = reference(answer.path("hive").get(i), op.variables());
                    Shrunk shrunk = null;
                    if (shrunkHere < shrink && vestibule.ok() && apollo.ok() && vestibule.fetches() > apollo.fetches()) {
                        shrunkHere++;
                        shrunk = shrink(references, name, supergraph, preparer, planner, op);
                    }
                    Row row = new Row(name, group(name), op.seed(), op.operation().compact(), op.variables(), vestibule, apollo, hive, shrunk,
                            op.answers());
                    rows.add(row);
                    lines.write(JSON.writeValueAsString(row));
                    lines.newLine();
                }
                long more = rows.stream().filter(r -> r.supergraph().equals(name) && r.vestibule().ok() && r.apollo().ok()
                        && r.vestibule().fetches() > r.apollo().fetches()).count();
                System.out.println(name + ": " + measured.size() + " operations" + (more > 0 ? ", Vestibule needs more fetches on " + more : ""));
            }
        }
        String table = summary(rows, out, started);
        System.out.println();
        System.out.println(table);
        System.out.println("details: " + out.toAbsolutePath());
    }

    private record Prepared(long seed, GeneratedOperation operation, PreparedOperation prepared, Map<String, Object> variables,
                            String answers) {
        Prepared(long seed, GeneratedOperation operation, PreparedOperation prepared, Map<String, Object> variables) {
            this(seed, operation, prepared, variables, null);
        }
    }

    private static List<Prepared> operations(OperationGenerator generator, OperationPreparer preparer, String name, long seed, int count) {
        List<Prepared> operations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long opSeed = seed * 1_000_003L + name.hashCode() * 7919L + i;
            try {
                GeneratedOperation operation = generator.generate(opSeed);
                PreparedOperation prepared = preparer.prepare(new GraphQLRequest(operation.text(), null, operation.variables(), Map.of()));
                operations.add(new Prepared(opSeed, operation, prepared, prepared.variables()));
            } catch (RuntimeException e) {
                // a supergraph whose API schema the generator cannot cover, or an operation past the default limits
                System.out.println(name + " seed " + opSeed + ": not generated (" + e.getMessage() + ")");
            }
        }
        return operations;
    }

    /**
     * The operation made small (the differential tester's shrinker: selections, fragments, directives, aliases and
     * arguments left out one at a time) while Vestibule still needs more fetches than Apollo's planner.
     */
    private static Shrunk shrink(ReferencePlanners references, String name, Supergraph supergraph, OperationPreparer preparer,
                                 QueryPlanner planner, Prepared failing) {
        Map<GeneratedOperation, int[]> counts = new LinkedHashMap<>();
        GeneratedOperation small = new Shrinker(supergraph.apiSchema(), 120).shrink(failing.operation(), candidate -> {
            try {
                PreparedOperation prepared = preparer.prepare(new GraphQLRequest(candidate.text(), null, candidate.variables(), Map.of()));
                Prepared op = new Prepared(failing.seed(), candidate, prepared, prepared.variables());
                Planned vestibule = plan(planner, op);
                JsonNode answer = references.planAgain(name, op);
                Planned apollo = reference(answer.path("apollo").get(0), op.variables());
                Planned hive = reference(answer.path("hive").get(0), op.variables());
                if (!vestibule.ok() || !apollo.ok() || vestibule.fetches() <= apollo.fetches()) return false;
                counts.put(candidate, new int[] {vestibule.fetches(), apollo.fetches(), hive.ok() ? hive.fetches() : -1});
                return true;
            } catch (RuntimeException | IOException e) {
                return false;
            }
        });
        int[] c = counts.get(small);
        return c == null ? null : new Shrunk(small.compact(), small.variables(), c[0], c[1], c[2]);
    }

    /** A differential run's operations on this supergraph, parsed and validated again here. */
    @SuppressWarnings("unchecked")
    private static List<Prepared> recorded(OperationPreparer preparer, String name, List<JsonNode> lines) {
        List<Prepared> operations = new ArrayList<>();
        for (JsonNode line : lines) {
            String text = line.path("operation").asText();
            Map<String, Object> variables = JSON.convertValue(line.path("variables"), Map.class);
            try {
                PreparedOperation prepared = preparer.prepare(new GraphQLRequest(text, null, variables, Map.of()));
                String outcome = line.path("outcome").asText(null);
                String answers = line.has("vestibuleAgreesWith") ? outcome + ", Vestibule agrees with " + line.path("vestibuleAgreesWith").asText() : outcome;
                operations.add(new Prepared(line.path("seed").asLong(), new GeneratedOperation(prepared.document(), variables), prepared,
                        prepared.variables(), answers));
            } catch (RuntimeException e) {
                System.out.println(name + " seed " + line.path("seed").asLong() + ": not prepared (" + e.getMessage() + ")");
            }
        }
        return operations;
    }

    private static Planned plan(QueryPlanner planner, Prepared op) {
        long start = System.nanoTime();
        try {
            QueryPlan plan = planner.plan(op.prepared());
            long micros = (System.nanoTime() - start) / 1_000;
            return new Planned(fetches(JSON.valueToTree(PlanJson.of(plan)), op.variables()), micros, null);
        } catch (RuntimeException e) {
            return Planned.failed((System.nanoTime() - start) / 1_000, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Planned reference(JsonNode result, Map<String, Object> variables) {
        if (result == null) return Planned.failed(0, "no result");
        long micros = result.path("micros").asLong();
        if (result.hasNonNull("error")) return Planned.failed(micros, result.get("error").asText());
        try {
            return new Planned(fetches(result.get("plan"), variables), micros, null);
        } catch (IllegalArgumentException e) {
            return Planned.failed(micros, e.getMessage());
        }
    }

    /** The subgraph requests a plan (Apollo's JSON form, which Vestibule's and Hive's share) makes for these variables. */
    static int fetches(JsonNode node, Map<String, Object> variables) {
        if (node == null || node.isNull() || node.isMissingNode()) return 0;
        String kind = node.path("kind").asText();
        return switch (kind) {
            case "QueryPlan", "Flatten" -> fetches(node.get("node"), variables);
            case "Fetch" -> 1;
            case "Sequence", "Parallel" -> {
                int sum = 0;
                for (JsonNode child : node.path("nodes")) sum += fetches(child, variables);
                yield sum;
            }
            case "Condition" -> Boolean.TRUE.equals(variables.get(node.path("condition").asText()))
                    ? fetches(node.get("ifClause"), variables) : fetches(node.get("elseClause"), variables);
            case "Defer" -> {
                int sum = fetches(node.path("primary").get("node"), variables);
                for (JsonNode deferred : node.path("deferred")) sum += fetches(deferred.get("node"), variables);
                yield sum;
            }
            case "Subscription" -> fetches(node.get("primary"), variables) + fetches(node.get("rest"), variables);
            case "BatchFetch" -> {
                // one request for all its parts (as Hive's), sent when a part is asked for these variables (Vestibule's
                // parts may sit under conditions of their own; a node without parts is one request)
                if (!node.has("parts")) yield 1;
                for (JsonNode part : node.path("parts")) if (fetches(part, variables) > 0) yield 1;
                yield 0;
            }
            default -> {
                // one request to one subgraph, whatever the planner calls it (Hive Router's batched entity fetch)
                if (node.hasNonNull("serviceName")) yield 1;
                throw new IllegalArgumentException("a plan node of unknown kind " + kind);
            }
        };
    }

    private static String group(String name) {
        return name.startsWith("audit/") ? "audit" : name;
    }

    private static String summary(List<Row> rows, Path out, Instant started) throws IOException {
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        rows.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        StringBuilder md = new StringBuilder();
        md.append("Planning time per operation, cold (ms; p50 / p99 over the operations each planner planned; failed: how many it could not plan)\n\n");
        md.append("| supergraphs | operations | Vestibule | @apollo/query-planner ").append(APOLLO_PLANNER)
                .append(" | @graphql-hive/router-query-planner ").append(HIVE_PLANNER).append(" |\n|---|---:|---:|---:|---:|\n");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", started.toString());
        json.put("java", Runtime.version().toString());
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> entry : byGroup.entrySet()) {
            List<Row> group = entry.getValue();
            long supergraphCount = group.stream().map(Row::supergraph).distinct().count();
            md.append("| ").append(entry.getKey()).append(supergraphCount > 1 ? " (" + supergraphCount + ")" : "").append(" | ")
                    .append(group.size()).append(" | ").append(times(group, Row::vestibule)).append(" | ")
                    .append(times(group, Row::apollo)).append(" | ").append(times(group, Row::hive)).append(" |\n");
        }
        md.append("\nFetches per operation, Vestibule against Apollo's query planner (operations both planned)\n\n");
        md.append("| supergraphs | compared | fewer | same | more | Vestibule - Apollo: operations | fetches: Vestibule / Apollo / Hive (mean) |\n|---|---:|---:|---:|---:|---|---:|\n");
        List<Row> more = new ArrayList<>();
        for (Map.Entry<String, List<Row>> entry : byGroup.entrySet()) {
            List<Row> both = entry.getValue().stream().filter(r -> r.vestibule().ok() && r.apollo().ok()).toList();
            Map<Integer, Integer> difference = new TreeMap<>();
            int fewer = 0;
            int same = 0;
            int moreCount = 0;
            for (Row r : both) {
                int d = r.vestibule().fetches() - r.apollo().fetches();
                difference.merge(d, 1, Integer::sum);
                if (d < 0) fewer++;
                else if (d == 0) same++;
                else {
                    moreCount++;
                    more.add(r);
                }
            }
            List<Row> all3 = both.stream().filter(r -> r.hive().ok()).toList();
            md.append("| ").append(entry.getKey()).append(" | ").append(both.size()).append(" | ").append(fewer).append(" | ")
                    .append(same).append(" | ").append(moreCount).append(" | ").append(distribution(difference)).append(" | ")
                    .append(all3.isEmpty() ? "-" : String.format("%.2f / %.2f / %.2f",
                            all3.stream().mapToInt(r -> r.vestibule().fetches()).average().orElse(0),
                            all3.stream().mapToInt(r -> r.apollo().fetches()).average().orElse(0),
                            all3.stream().mapToInt(r -> r.hive().fetches()).average().orElse(0)))
                    .append(" |\n");
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("operations", entry.getValue().size());
            figures.put("compared", both.size());
            figures.put("fewer", fewer);
            figures.put("same", same);
            figures.put("more", moreCount);
            figures.put("vestibuleMinusApollo", difference);
            figures.put("failed", Map.of("vestibule", failed(entry.getValue(), Row::vestibule), "apollo", failed(entry.getValue(), Row::apollo),
                    "hive", failed(entry.getValue(), Row::hive)));
            groups.put(entry.getKey(), figures);
        }
        json.put("groups", groups);
        md.append("\n").append(more.size()).append(" operations where Vestibule needs more fetches than Apollo's query planner")
                .append(more.isEmpty() ? "" : " (more-fetches.json)").append(".\n");
        long apolloAlone = more.stream().filter(Row::apolloAnswersAlone).count();
        if (more.stream().anyMatch(r -> r.answers() != null)) {
            md.append("Of them, in the differential run they come from, ").append(apolloAlone)
                    .append(" where Apollo Gateway answered other data or errors than both Hive Gateway and Vestibule, which agreed")
                    .append(" (Apollo's plan with fewer fetches does not answer the operation); ").append(more.size() - apolloAlone)
                    .append(" others.\n");
        }
        json.put("moreFetchesWhereApolloGatewayAnswersAlone", apolloAlone);
        List<Row> shrunk = more.stream().filter(r -> r.shrunk() != null).toList();
        if (!shrunk.isEmpty()) md.append("\nShrunk (fetches Vestibule / Apollo / Hive):\n\n");
        for (Row r : shrunk) {
            md.append("- ").append(r.supergraph()).append(": `").append(r.shrunk().operation()).append('`')
                    .append(r.shrunk().variables().isEmpty() ? "" : " " + r.shrunk().variables())
                    .append(": ").append(r.shrunk().vestibule()).append(" / ").append(r.shrunk().apollo()).append(" / ")
                    .append(r.shrunk().hive()).append('\n');
        }
        ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        pretty.writeValue(out.resolve("more-fetches.json").toFile(), more);
        pretty.writeValue(out.resolve("summary.json").toFile(), json);
        Files.writeString(out.resolve("summary.md"), md);
        return md.toString();
    }

    private static long failed(List<Row> rows, Function<Row, Planned> planner) {
        return rows.stream().filter(r -> !planner.apply(r).ok()).count();
    }

    private static String times(List<Row> rows, Function<Row, Planned> planner) {
        long[] micros = rows.stream().map(planner).filter(Planned::ok).mapToLong(Planned::micros).sorted().toArray();
        long failed = rows.size() - micros.length;
        if (micros.length == 0) return "- (failed " + failed + ")";
        return String.format("%.2f / %.2f%s", percentile(micros, 0.50) / 1000.0, percentile(micros, 0.99) / 1000.0,
                failed > 0 ? " (failed " + failed + ")" : "");
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static String distribution(Map<Integer, Integer> difference) {
        StringBuilder text = new StringBuilder();
        difference.forEach((d, n) -> text.append(text.isEmpty() ? "" : ", ").append(d > 0 ? "+" + d : String.valueOf(d)).append(": ").append(n));
        return text.toString();
    }

    /** The Node process with Apollo's and Hive's planners, npm-installed at pinned versions into the cache once. */
    private static final class ReferencePlanners implements AutoCloseable {
        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;

        private ReferencePlanners(Process process) {
            this.process = process;
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static ReferencePlanners start() throws IOException, InterruptedException {
            Path folder = NpmCache.install("planners-apollo-" + APOLLO_PLANNER + "-hive-" + HIVE_PLANNER, "@graphql-hive/router-query-planner",
                    List.of("@apollo/query-planner@" + APOLLO_PLANNER, "@apollo/federation-internals@" + APOLLO_PLANNER,
                            "@graphql-hive/router-query-planner@" + HIVE_PLANNER, "graphql@16.13.1"), Duration.ofMinutes(10));
            try (InputStream script = PlanningBench.class.getResourceAsStream("/bench/reference-planners.mjs")) {
                Files.copy(script, folder.resolve("reference-planners.mjs"), StandardCopyOption.REPLACE_EXISTING);
            }
            Process process = new ProcessBuilder("node", "--max-old-space-size=4096", "reference-planners.mjs").directory(folder.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            ReferencePlanners planners = new ReferencePlanners(process);
            String ready = planners.out.readLine();
            if (ready == null || !ready.contains("\"ready\":true")) {
                process.destroyForcibly();
                throw new IllegalStateException("the reference planners did not start: " + ready);
            }
            return planners;
        }

        /** Apollo's and Hive's plans of one operation on the supergraph sent last (its planners are kept). */
        JsonNode planAgain(String name, Prepared operation) throws IOException {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", name);
            request.put("operations", List.of(Map.of("query", operation.operation().text(), "variables", operation.variables())));
            return send(request, name);
        }

        JsonNode plan(String name, String sdl, List<Prepared> warmup, List<Prepared> operations) throws IOException {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", name);
            request.put("supergraph", sdl);
            request.put("warmup", warmup.stream().map(p -> Map.of("query", p.operation().text(), "variables", p.variables())).toList());
            request.put("operations", operations.stream().map(p -> Map.of("query", p.operation().text(), "variables", p.variables())).toList());
            JsonNode answer = send(request, name);
            if (answer.hasNonNull("apolloError")) System.out.println(name + ": Apollo's planner cannot load it: " + answer.get("apolloError").asText());
            if (answer.hasNonNull("hiveError")) System.out.println(name + ": Hive's planner cannot load it: " + answer.get("hiveError").asText());
            return answer;
        }

        private JsonNode send(Map<String, Object> request, String name) throws IOException {
            in.write(JSON.writeValueAsString(request));
            in.newLine();
            in.flush();
            String line = out.readLine();
            if (line == null) throw new IllegalStateException("the reference planners' process ended on " + name);
            return JSON.readTree(line);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
