package dev.vestibule.tests.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.schema.GraphQLSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Sends generated operations to Vestibule (in this JVM, over HTTP) and to the reference gateways, all in front of the
 * same running subgraphs, and compares the answers: {@code data} deep-equal (arrays in order, {@code null} distinct
 * from missing) and the presence of errors. A difference counts where the references agree with each other and
 * Vestibule does not; where the references disagree, the case is recorded apart (the GraphQL and federation specs
 * decide those, not this tool). Each difference is shrunk to a small operation that still shows it.
 *
 * <p>A reference that gives no GraphQL answer (its Node process died, it hung past the timeout, it threw) is started
 * again with its supergraphs and the run goes on; the operation is recorded apart ({@code reference-no-answer/}),
 * neither an agreement nor a difference, since there is nothing to agree with.
 */
public final class DifferentialRunner {
    /** A supergraph whose subgraph URLs point at running subgraphs. */
    public record Target(String name, String supergraphSdl) {}

    /**
     * {@code shrinkChecks}: the shrinker's budget per difference; {@code explain} names the known class of a difference
     * (see {@link KnownDifferences}), and those are shrunk only with {@code shrinkKnown}.
     */
    public record Settings(long seed, int operationsPerTarget, OperationGenerator.Options options, int shrinkChecks,
                           BiFunction<GraphQLSchema, Case, Optional<String>> explain, boolean shrinkKnown) {
        public Settings(long seed, int operationsPerTarget, OperationGenerator.Options options, int shrinkChecks) {
            this(seed, operationsPerTarget, options, shrinkChecks, (schema, c) -> Optional.empty(), true);
        }
    }

    /** One operation's run; {@code difference} is Vestibule's from the references (when they agree with each other). */
    public record Case(String target, long seed, GeneratedOperation operation, Answer vestibule, Map<String, Answer> references,
                       Optional<Answer.Difference> difference, boolean referencesDisagree, Shrunk shrunk, Optional<String> known) {
        /** The references that gave no GraphQL answer to this operation (by id). */
        public List<String> referencesWithoutAnswer() {
            return references.entrySet().stream().filter(e -> !e.getValue().answered()).map(Map.Entry::getKey).toList();
        }

        /** Vestibule agrees with the references, which agree with each other. */
        public boolean agreement() {
            return difference.isEmpty() && !referencesDisagree && referencesWithoutAnswer().isEmpty();
        }

        /** The class a difference is counted under: its kind, and for a whole response, that it is the whole. */
        public String differenceClass() {
            return difference.map(d -> d.kind().label + (d.path().isEmpty() ? " (whole data)" : "")).orElse("");
        }
    }

    public record Shrunk(GeneratedOperation operation, Answer vestibule, Map<String, Answer> references, Answer.Difference difference) {}

    public record Report(List<Case> cases, List<String> skipped) {
        public long differences() {
            return cases.stream().filter(c -> c.difference().isPresent()).count();
        }

        public long referencesDisagree() {
            return cases.stream().filter(Case::referencesDisagree).count();
        }

        /** Operations where at least one reference gave no answer. */
        public long referencesWithoutAnswer() {
            return cases.stream().filter(c -> !c.referencesWithoutAnswer().isEmpty()).count();
        }

        public Map<String, Integer> byClass() {
            Map<String, Integer> counts = new TreeMap<>();
            cases.stream().filter(c -> c.difference().isPresent()).forEach(c -> counts.merge(c.differenceClass(), 1, Integer::sum));
            return counts;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ReferenceGateway> references;
    private final RouterSettings routerSettings;

    public DifferentialRunner(List<ReferenceGateway> references, RouterSettings routerSettings) {
        if (references.isEmpty()) throw new IllegalArgumentException("at least one reference gateway is needed");
        this.references = references;
        this.routerSettings = routerSettings;
    }

    public Report run(List<Target> targets, Settings settings, Consumer<String> progress) throws IOException, InterruptedException {
        return run(targets, settings, progress, report -> { });
    }

    /** {@code checkpoint} gets the report so far after each target (a long run's figures survive its end). */
    public Report run(List<Target> targets, Settings settings, Consumer<String> progress, Consumer<Report> checkpoint)
            throws IOException, InterruptedException {
        List<Case> cases = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Target target : targets) {
            Supergraph supergraph;
            try {
                supergraph = SupergraphLoader.load(target.supergraphSdl());
            } catch (RuntimeException e) {
                skipped.add(target.name() + ": Vestibule cannot load it: " + e.getMessage());
                continue;
            }
            try (Vestibule vestibule = new Vestibule(supergraph, routerSettings)) {
                List<ReferenceGateway> loaded = new ArrayList<>();
                try {
                    for (ReferenceGateway reference : references) {
                        reference.load(target.name(), target.supergraphSdl());
                        loaded.add(reference);
                    }
                } catch (IllegalStateException | IOException e) {
                    skipped.add(target.name() + ": " + e.getMessage());
                    for (ReferenceGateway reference : loaded) reference.unload(target.name());
                    continue;
                }
                ValuePool pool = new ValuePool();
                OperationGenerator generator = new OperationGenerator(supergraph.apiSchema(), settings.options(), pool);
                int before = cases.size();
                for (int i = 0; i < settings.operationsPerTarget(); i++) {
                    long seed = settings.seed() * 1_000_003L + target.name().hashCode() * 7919L + i;
                    GeneratedOperation operation;
                    try {
                        operation = generator.generate(seed);
                    } catch (IllegalStateException e) {
                        skipped.add(target.name() + " seed " + seed + ": " + e.getMessage());
                        continue;
                    }
                    Case result = runOne(target.name(), seed, operation, vestibule, generator, settings);
                    // the references' data (not Vestibule's) feeds the values later arguments are drawn from
                    result.references().values().stream().filter(Answer::answered).findFirst().ifPresent(a -> pool.learn(a.data()));
                    cases.add(result);
                }
                List<Case> these = cases.subList(before, cases.size());
                long differences = these.stream().filter(c -> c.difference().isPresent()).count();
                long noAnswer = these.stream().filter(c -> !c.referencesWithoutAnswer().isEmpty()).count();
                progress.accept(target.name() + ": " + these.size() + " operations, " + differences + " differences"
                        + (noAnswer > 0 ? ", " + noAnswer + " without a reference's answer" : ""));
                for (ReferenceGateway reference : references) reference.unload(target.name());
            }
            checkpoint.accept(new Report(List.copyOf(cases), List.copyOf(skipped)));
        }
        return new Report(cases, skipped);
    }

    private Case runOne(String target, long seed, GeneratedOperation operation, Vestibule vestibule, OperationGenerator generator,
                        Settings settings) throws IOException, InterruptedException {
        Answers answers = ask(target, operation, vestibule);
        boolean disagree = answers.referencesDisagree();
        Optional<Answer.Difference> difference = disagree || !answers.allAnswered()
                ? Optional.empty() : answers.vestibule.differenceFrom(answers.reference());
        Case unshrunk = new Case(target, seed, operation, answers.vestibule, answers.references, difference, disagree, null, Optional.empty());
        Optional<String> known = difference.isPresent() ? settings.explain().apply(generator.schema(), unshrunk) : Optional.empty();
        int shrinkChecks = settings.shrinkChecks();
        Shrunk shrunk = null;
        if (difference.isPresent() && shrinkChecks > 0 && (known.isEmpty() || settings.shrinkKnown())) {
            Answer.Kind kind = difference.get().kind();
            Map<GeneratedOperation, Answers> seen = new LinkedHashMap<>();
            GeneratedOperation small = new Shrinker(generator.schema(), shrinkChecks).shrink(operation, candidate -> {
                try {
                    Answers again = ask(target, candidate, vestibule);
                    seen.put(candidate, again);
                    if (!again.allAnswered() || again.referencesDisagree()) return false;
                    Optional<Answer.Difference> still = again.vestibule.differenceFrom(again.reference());
                    if (still.isEmpty() || still.get().kind() != kind) return false;
                    // the same class too: a difference of no known class must not shrink into a known one
                    Case shrinking = new Case(target, seed, candidate, again.vestibule, again.references, still, false, null, Optional.empty());
                    return settings.explain().apply(generator.schema(), shrinking).equals(known);
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            Answers last = seen.containsKey(small) ? seen.get(small) : answers;
            shrunk = new Shrunk(small, last.vestibule, last.references, last.vestibule.differenceFrom(last.reference()).orElse(difference.get()));
        }
        return new Case(target, seed, operation, answers.vestibule, answers.references, difference, disagree, shrunk, known);
    }

    private record Answers(Answer vestibule, Map<String, Answer> references) {
        Answer reference() {
            return references.values().iterator().next();
        }

        boolean allAnswered() {
            return references.values().stream().allMatch(Answer::answered);
        }

        /** Every reference answered, and not all alike. */
        boolean referencesDisagree() {
            Answer first = reference();
            return allAnswered() && references.values().stream().anyMatch(a -> !a.agrees(first));
        }
    }

    /**
     * Asks Vestibule, then each reference, one after another, never at once: the audit's subgraphs keep state that
     * their resolvers change (the mutations suite's entity resolver deletes the product it resolves, its product
     * queries put it back), so gateways asking at the same time see each other's changes half-way through an
     * operation, and which one loses depends on timing, not on its plan. One at a time, each starts from the state
     * the previous one left, the same for all as long as the operation is a query whose effects each run undoes.
     */
    private Answers ask(String target, GeneratedOperation operation, Vestibule vestibule) throws IOException, InterruptedException {
        String text = operation.text();
        Answer mine = vestibule.query(text, operation.variables());
        Map<String, Answer> answers = new LinkedHashMap<>();
        for (ReferenceGateway reference : references) {
            long start = System.nanoTime();
            Answer answer;
            try {
                answer = Answer.of(reference.query(target, text, operation.variables()), (System.nanoTime() - start) / 1_000);
            } catch (ReferenceGateway.NoAnswer e) {
                answer = Answer.none(e.getMessage() + (e.restarted() ? " (restarted)" : ""), (System.nanoTime() - start) / 1_000);
            } catch (IOException | IllegalStateException e) {
                // not even a restart worked; the next operation tries again
                answer = Answer.none(reference.kind().title() + ": " + e.getMessage(), (System.nanoTime() - start) / 1_000);
            }
            answers.put(reference.kind().id(), answer);
        }
        return new Answers(mine, answers);
    }

    /** Writes {@code summary.txt}, {@code summary.json} and one file per difference and per references' disagreement. */
    public static void write(Report report, Path out, Map<String, Object> header) throws IOException {
        Files.createDirectories(out.resolve("differences"));
        Files.createDirectories(out.resolve("references-disagree"));
        Files.createDirectories(out.resolve("reference-no-answer"));
        int n = 0;
        int m = 0;
        int unanswered = 0;
        for (Case c : report.cases()) {
            if (c.difference().isPresent()) {
                n++;
                JSON.writeValue(out.resolve("differences").resolve(String.format("%04d-%s.json", n, safe(c.target()))).toFile(), record(c));
            } else if (c.referencesDisagree()) {
                m++;
                JSON.writeValue(out.resolve("references-disagree").resolve(String.format("%04d-%s.json", m, safe(c.target()))).toFile(), record(c));
            } else if (!c.referencesWithoutAnswer().isEmpty()) {
                unanswered++;
                JSON.writeValue(out.resolve("reference-no-answer").resolve(String.format("%04d-%s.json", unanswered, safe(c.target()))).toFile(), record(c));
            }
        }
        // every operation, for tests/bench/plan-bench.sh --operations (fetch counts on exactly the operations of a run)
        ObjectMapper compact = new ObjectMapper();
        try (BufferedWriter lines = Files.newBufferedWriter(out.resolve("operations.jsonl"))) {
            for (Case c : report.cases()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("supergraph", c.target());
                line.put("seed", c.seed());
                line.put("operation", c.operation().text());
                line.put("variables", c.operation().variables());
                line.put("outcome", c.difference().isPresent() ? "difference" : c.referencesDisagree() ? "references disagree"
                        : !c.referencesWithoutAnswer().isEmpty() ? "reference without answer" : "agree");
                lines.write(compact.writeValueAsString(line));
                lines.newLine();
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>(header);
        summary.put("operations", report.cases().size());
        summary.put("agree", report.cases().stream().filter(Case::agreement).count());
        summary.put("differences", report.differences());
        summary.put("differencesByClass", report.byClass());
        Map<String, Integer> byTarget = new TreeMap<>();
        report.cases().stream().filter(c -> c.difference().isPresent()).forEach(c -> byTarget.merge(c.target(), 1, Integer::sum));
        summary.put("differencesBySupergraph", byTarget);
        Map<String, Integer> byKnown = new TreeMap<>();
        report.cases().stream().filter(c -> c.difference().isPresent())
                .forEach(c -> byKnown.merge(c.known().orElse("not of a known class"), 1, Integer::sum));
        summary.put("differencesByKnownClass", byKnown);
        summary.put("referencesDisagree", report.referencesDisagree());
        Map<String, Integer> vestibuleSidesWith = new TreeMap<>();
        report.cases().stream().filter(Case::referencesDisagree).forEach(c -> {
            List<String> same = c.references().entrySet().stream().filter(e -> e.getValue().agrees(c.vestibule())).map(Map.Entry::getKey).toList();
            vestibuleSidesWith.merge(same.isEmpty() ? "neither" : String.join("+", same), 1, Integer::sum);
        });
        summary.put("referencesDisagreeVestibuleAgreesWith", vestibuleSidesWith);
        Map<String, Integer> withoutAnswer = new TreeMap<>();
        Map<String, Integer> restartedBy = new TreeMap<>();
        report.cases().forEach(c -> c.referencesWithoutAnswer().forEach(id -> {
            withoutAnswer.merge(id, 1, Integer::sum);
            if (c.references().get(id).noAnswer().endsWith("(restarted)")) restartedBy.merge(id, 1, Integer::sum);
        }));
        summary.put("referenceNoAnswer", report.referencesWithoutAnswer());
        summary.put("referenceNoAnswerByReference", withoutAnswer);
        summary.put("referenceRestartsByReference", restartedBy);
        summary.put("latency", latency(report));
        summary.put("skipped", report.skipped());
        JSON.writeValue(out.resolve("summary.json").toFile(), summary);

        StringBuilder text = new StringBuilder();
        header.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        text.append("operations: ").append(summary.get("operations")).append('\n');
        text.append("agree with the references: ").append(summary.get("agree")).append('\n');
        text.append("differ where the references agree: ").append(report.differences()).append('\n');
        report.byClass().forEach((k, v) -> text.append("  ").append(v).append("  ").append(k).append('\n'));
        byKnown.forEach((k, v) -> text.append("  ").append(v).append("  ").append(k).append('\n'));
        byTarget.forEach((k, v) -> text.append("  in ").append(k).append(": ").append(v).append('\n'));
        text.append("references disagree with each other: ").append(report.referencesDisagree())
                .append(" (Vestibule agrees with: ").append(vestibuleSidesWith).append(")\n");
        text.append("a reference gave no answer (died, hung or threw; not counted as agreement): ").append(report.referencesWithoutAnswer())
                .append(" (by reference: ").append(withoutAnswer).append(", process restarted: ").append(restartedBy).append(")\n");
        text.append("latency: ").append(summary.get("latency")).append('\n');
        if (!report.skipped().isEmpty()) text.append("skipped:\n");
        report.skipped().forEach(s -> text.append("  ").append(s).append('\n'));
        Files.writeString(out.resolve("summary.txt"), text);
    }

    private static Map<String, Object> latency(Report report) {
        List<Case> all = report.cases();
        long slower = all.stream().filter(c -> c.referencesWithoutAnswer().isEmpty() && c.vestibule().micros()
                > c.references().values().stream().mapToLong(Answer::micros).max().orElse(Long.MAX_VALUE)).count();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("vestibuleSlowerThanSlowestReference", slower);
        figures.put("vestibuleP50Micros", percentile(all.stream().mapToLong(c -> c.vestibule().micros()).sorted().toArray(), 0.5));
        for (String id : all.isEmpty() ? List.<String>of() : List.copyOf(all.getFirst().references().keySet())) {
            figures.put(id + "P50Micros", percentile(all.stream().map(c -> c.references().get(id)).filter(Answer::answered)
                    .mapToLong(Answer::micros).sorted().toArray(), 0.5));
        }
        return figures;
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static Map<String, Object> record(Case c) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("supergraph", c.target());
        record.put("seed", c.seed());
        c.difference().ifPresent(d -> record.put("difference", d.describe()));
        c.known().ifPresent(k -> record.put("knownClass", k));
        record.put("operation", c.operation().text());
        record.put("variables", c.operation().variables());
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("vestibule", c.vestibule().raw());
        c.references().forEach((k, v) -> answers.put(k, v.raw()));
        record.put("answers", answers);
        if (c.shrunk() != null) {
            Map<String, Object> shrunk = new LinkedHashMap<>();
            shrunk.put("difference", c.shrunk().difference().describe());
            shrunk.put("operation", c.shrunk().operation().text());
            shrunk.put("variables", c.shrunk().operation().variables());
            Map<String, Object> small = new LinkedHashMap<>();
            small.put("vestibule", c.shrunk().vestibule().raw());
            c.shrunk().references().forEach((k, v) -> small.put(k, v.raw()));
            shrunk.put("answers", small);
            record.put("shrunk", shrunk);
        }
        return record;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }


    /** Vestibule in this JVM, serving one supergraph over HTTP on a free port. */
    private static final class Vestibule implements AutoCloseable {
        private final Router router;
        private final RouterServer server;
        private final URI uri;

        Vestibule(Supergraph supergraph, RouterSettings settings) throws IOException {
            router = new Router(supergraph, settings);
            server = RouterServer.start(router, settings, EdgePolicy.open(), "127.0.0.1", 0);
            uri = URI.create("http://127.0.0.1:" + server.port() + "/graphql");
        }

        Answer query(String query, Map<String, Object> variables) throws IOException, InterruptedException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", query);
            body.put("variables", variables);
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json").header("accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // Vestibule not answering is a difference to report, not the end of the run
                return Answer.none("Vestibule: no answer (" + e.getClass().getSimpleName() + ")", (System.nanoTime() - start) / 1_000);
            }
            long micros = (System.nanoTime() - start) / 1_000;
            try {
                return Answer.of(JSON.readTree(response.body()), micros);
            } catch (IOException notJson) {
                return Answer.of(JSON.createObjectNode().set("errors", JSON.createArrayNode().add(
                        JSON.createObjectNode().put("message", "HTTP " + response.statusCode() + ", not JSON"))), micros);
            }
        }

        @Override
        public void close() {
            server.close();
            router.close();
        }
    }
}
