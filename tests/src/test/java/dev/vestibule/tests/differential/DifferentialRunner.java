package dev.vestibule.tests.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
     * (see {@link KnownDifferences}), and those are shrunk only with {@code shrinkKnown}. {@code latencyRepeats}: after
     * a supergraph's comparison pass, each of its operations is timed this many times per gateway (0: only the
     * comparison's single timing), after {@code latencyWarmup} untimed rounds; see {@link Timing}.
     */
    public record Settings(long seed, int operationsPerTarget, OperationGenerator.Options options, int shrinkChecks,
                           BiFunction<Supergraph, Case, Optional<String>> explain, boolean shrinkKnown,
                           int latencyRepeats, int latencyWarmup) {
        public Settings(long seed, int operationsPerTarget, OperationGenerator.Options options, int shrinkChecks,
                        BiFunction<Supergraph, Case, Optional<String>> explain, boolean shrinkKnown) {
            this(seed, operationsPerTarget, options, shrinkChecks, explain, shrinkKnown, 0, 0);
        }

        public Settings(long seed, int operationsPerTarget, OperationGenerator.Options options, int shrinkChecks) {
            this(seed, operationsPerTarget, options, shrinkChecks, (supergraph, c) -> Optional.empty(), true);
        }

        public Settings withLatency(int repeats, int warmup) {
            if (repeats < 0 || warmup < 0) throw new IllegalArgumentException("latency repeats and warm-up rounds cannot be negative");
            return new Settings(seed, operationsPerTarget, options, shrinkChecks, explain, shrinkKnown, repeats, warmup);
        }
    }

    /**
     * One operation's latency per gateway: the median of {@link Settings#latencyRepeats} timed requests (microseconds,
     * request sent to response body read, the same HTTP client for all). The rounds interleave the gateways, each
     * operation's order rotated from round to round (V A H, A H V, H V A, ...), so that a burst of load on the shared
     * machine falls on all of them alike; they start after the supergraph's comparison pass (every gateway has planned
     * every operation once: plan caches filled) and the warm-up rounds (the JITs compiled the paths these operations
     * take). {@code loadAverage}: the machine's one-minute load average when the supergraph's timing began.
     * An operation whose median on Vestibule is above the slower reference's is timed again, alone, in
     * {@link #RETIMED_ROUNDS} more rounds (a burst of load on one gateway's turn moves a median of 5): its medians
     * are then those rounds', and {@code firstRatio} is the ratio the first rounds gave (null: not retimed).
     */
    public record Timing(String target, long seed, GeneratedOperation operation, long vestibuleMicros,
                         Map<String, Long> referenceMicros, double loadAverage, Double firstRatio, boolean onlyVestibuleAnswersData) {
        public long slowestReferenceMicros() {
            return referenceMicros.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** Vestibule's median above the slower reference's median. */
        public boolean vestibuleSlower() {
            return vestibuleMicros > slowestReferenceMicros();
        }

        /**
         * Vestibule's median above the slower reference's, where some reference answered data: an operation every
         * reference fails as a whole (no data: a planning error or a refused request, no subgraph asked) while
         * Vestibule answers its data is not one the references answered faster (counted apart, in the summary).
         */
        public boolean vestibuleSlowerThanAnAnswer() {
            return vestibuleSlower() && !onlyVestibuleAnswersData;
        }

        /** Vestibule's median over the slower reference's (above 1: Vestibule slower). */
        public double ratio() {
            return (double) vestibuleMicros / Math.max(1, slowestReferenceMicros());
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

        /** Where the references disagree: those whose answer Vestibule's agrees with, joined by "+", or "neither". */
        public String vestibuleAgreesWith() {
            List<String> same = references.entrySet().stream().filter(e -> e.getValue().agrees(vestibule)).map(Map.Entry::getKey).toList();
            return same.isEmpty() ? "neither" : String.join("+", same);
        }

        /** The class a difference is counted under: its kind, and for a whole response, that it is the whole. */
        public String differenceClass() {
            return difference.map(d -> d.kind().label + (d.path().isEmpty() ? " (whole data)" : "")).orElse("");
        }
    }

    public record Shrunk(GeneratedOperation operation, Answer vestibule, Map<String, Answer> references, Answer.Difference difference) {}

    public record Report(List<Case> cases, List<String> skipped, List<Timing> timings) {
        public Report(List<Case> cases, List<String> skipped) {
            this(cases, skipped, List.of());
        }

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
    /** The requests the failing subgraphs answered so far ({@link FailingSubgraphs}), or null when none fail. */
    private final LongSupplier failedRequests;

    public DifferentialRunner(List<ReferenceGateway> references, RouterSettings routerSettings) {
        this(references, routerSettings, null);
    }

    /** {@code failedRequests}: see {@link FailingSubgraphs#requests}; null when no subgraph is made to fail. */
    DifferentialRunner(List<ReferenceGateway> references, RouterSettings routerSettings, LongSupplier failedRequests) {
        if (references.isEmpty()) throw new IllegalArgumentException("at least one reference gateway is needed");
        this.references = references;
        this.routerSettings = routerSettings;
        this.failedRequests = failedRequests;
    }

    public Report run(List<Target> targets, Settings settings, Consumer<String> progress) throws IOException, InterruptedException {
        return run(targets, settings, progress, report -> { });
    }

    /** {@code checkpoint} gets the report so far after each target (a long run's figures survive its end). */
    public Report run(List<Target> targets, Settings settings, Consumer<String> progress, Consumer<Report> checkpoint)
            throws IOException, InterruptedException {
        List<Case> cases = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Timing> timings = new ArrayList<>();
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
                    Case result = runOne(target.name(), seed, operation, vestibule, supergraph, generator, settings);
                    // the references' data (not Vestibule's) feeds the values later arguments are drawn from
                    result.references().values().stream().filter(Answer::answered).findFirst().ifPresent(a -> pool.learn(a.data()));
                    cases.add(result);
                }
                List<Case> these = cases.subList(before, cases.size());
                long differences = these.stream().filter(c -> c.difference().isPresent()).count();
                long noAnswer = these.stream().filter(c -> !c.referencesWithoutAnswer().isEmpty()).count();
                String timed = "";
                if (settings.latencyRepeats() > 0) {
                    List<Timing> measured = time(target.name(), these, vestibule, settings);
                    timings.addAll(measured);
                    timed = ", Vestibule's median latency above the slower reference's on "
                            + measured.stream().filter(Timing::vestibuleSlower).count() + " of " + measured.size();
                }
                progress.accept(target.name() + ": " + these.size() + " operations, " + differences + " differences"
                        + (noAnswer > 0 ? ", " + noAnswer + " without a reference's answer" : "") + timed);
                for (ReferenceGateway reference : references) reference.unload(target.name());
            }
            checkpoint.accept(new Report(List.copyOf(cases), List.copyOf(skipped), List.copyOf(timings)));
        }
        return new Report(cases, skipped, timings);
    }

    /**
     * Times each operation of one supergraph on every gateway (see {@link Timing}); an operation that a gateway does
     * not answer in some round (a reference's process died) is left out of the figures.
     */
    private List<Timing> time(String target, List<Case> cases, Vestibule vestibule, Settings settings) throws InterruptedException {
        List<Case> timed = cases.stream().filter(c -> c.vestibule().answered() && c.referencesWithoutAnswer().isEmpty()).toList();
        int gateways = references.size() + 1;
        int repeats = settings.latencyRepeats();
        long[][][] micros = new long[timed.size()][gateways][repeats];
        boolean[] lost = new boolean[timed.size()];
        String[] bodies = new String[timed.size()];
        for (int i = 0; i < timed.size(); i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", timed.get(i).operation().text());
            body.put("variables", timed.get(i).operation().variables());
            try {
                bodies[i] = JSON.writeValueAsString(body);
            } catch (IOException e) {
                lost[i] = true;
            }
        }
        double load = loadAverage();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < timed.size(); i++) all.add(i);
        timeRounds(target, all, bodies, lost, micros, settings.latencyWarmup(), repeats, vestibule);
        Timing[] first = new Timing[timed.size()];
        List<Integer> slower = new ArrayList<>();
        for (int i = 0; i < timed.size(); i++) {
            if (lost[i]) continue;
            first[i] = timing(target, timed.get(i), micros[i], load, null);
            if (first[i].vestibuleSlower()) slower.add(i);
        }
        long[][][] again = new long[timed.size()][gateways][RETIMED_ROUNDS];
        if (!slower.isEmpty()) timeRounds(target, slower, bodies, lost, again, 0, RETIMED_ROUNDS, vestibule);
        List<Timing> result = new ArrayList<>();
        for (int i = 0; i < timed.size(); i++) {
            if (lost[i]) continue;
            result.add(slower.contains(i) ? timing(target, timed.get(i), again[i], load, first[i].ratio()) : first[i]);
        }
        return result;
    }

    /** The class of a difference under fault injection where Vestibule did not ask the failing subgraph: see runOne. */
    static final String FAILING_SUBGRAPH_NOT_ASKED = "FAILING_SUBGRAPH_NOT_ASKED";

    /** Rounds of an operation retimed because its first rounds put Vestibule above the slower reference. */
    static final int RETIMED_ROUNDS = 21;

    /**
     * {@code rounds} timed rounds (after {@code warmup} untimed ones) of the operations at {@code indexes}, the
     * gateways in rotating order, into {@code micros[operation][gateway][round]}; an operation a gateway does not
     * answer is marked lost.
     */
    private void timeRounds(String target, List<Integer> indexes, String[] bodies, boolean[] lost, long[][][] micros,
                            int warmup, int rounds, Vestibule vestibule) throws InterruptedException {
        int gateways = references.size() + 1;
        for (int round = -warmup; round < rounds; round++) {
            for (int i : indexes) {
                for (int k = 0; k < gateways && !lost[i]; k++) {
                    int gateway = Math.floorMod(round + i + k, gateways);
                    long elapsed = gateway == 0 ? vestibule.time(bodies[i]) : references.get(gateway - 1).time(target, bodies[i]);
                    if (elapsed < 0) lost[i] = true;
                    else if (round >= 0) micros[i][gateway][round] = elapsed;
                }
            }
        }
    }

    private Timing timing(String target, Case c, long[][] micros, double load, Double firstRatio) {
        Map<String, Long> referenceMedians = new LinkedHashMap<>();
        for (int g = 1; g < micros.length; g++) referenceMedians.put(references.get(g - 1).kind().id(), median(micros[g]));
        boolean onlyVestibuleAnswersData = hasData(c.vestibule()) && c.references().values().stream().noneMatch(DifferentialRunner::hasData);
        return new Timing(target, c.seed(), c.operation(), median(micros[0]), referenceMedians, load, firstRatio, onlyVestibuleAnswersData);
    }

    /** Whether an answer carries data (not null, not absent: the operation was executed, not failed as a whole). */
    static boolean hasData(Answer answer) {
        return answer.answered() && answer.data() != null && !answer.data().isNull() && !answer.data().isMissingNode();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The one-minute load average (/proc/loadavg), or -1 where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Case runOne(String target, long seed, GeneratedOperation operation, Vestibule vestibule, Supergraph supergraph, OperationGenerator generator,
                        Settings settings) throws IOException, InterruptedException {
        Answers answers = ask(target, operation, vestibule);
        boolean disagree = answers.referencesDisagree();
        Optional<Answer.Difference> difference = answers.silentFailure()
                ? Optional.of(new Answer.Difference(Answer.Kind.SILENT_FAILURE, ""))
                : disagree || !answers.allAnswered() ? Optional.empty() : answers.vestibule.differenceFrom(answers.reference());
        Case unshrunk = new Case(target, seed, operation, answers.vestibule, answers.references, difference, disagree, null, Optional.empty());
        Optional<String> explained = difference.isPresent() ? settings.explain().apply(supergraph, unshrunk) : Optional.empty();
        // Fault injection: Vestibule's plan did not ask the failing subgraph where the references' did (a shared root
        // field they take from it, say). Its answer is then the one it gives with every subgraph up, which the
        // comparison without failures checks; fewer errors or more data here are not a way of handling a failure.
        boolean failingNotAsked = failedRequests != null && answers.vestibuleFailedCalls() == 0 && difference.isPresent();
        Optional<String> known = failingNotAsked ? Optional.of(FAILING_SUBGRAPH_NOT_ASKED) : explained;
        int shrinkChecks = settings.shrinkChecks();
        Shrunk shrunk = null;
        if (difference.isPresent() && shrinkChecks > 0 && !failingNotAsked && (known.isEmpty() || settings.shrinkKnown())) {
            Answer.Kind kind = difference.get().kind();
            Map<GeneratedOperation, Answers> seen = new LinkedHashMap<>();
            GeneratedOperation small = new Shrinker(generator.schema(), shrinkChecks).shrink(operation, candidate -> {
                try {
                    Answers again = ask(target, candidate, vestibule);
                    seen.put(candidate, again);
                    if (kind == Answer.Kind.SILENT_FAILURE) return again.silentFailure();
                    // under fault injection, only while Vestibule still asks the failing subgraph (see runOne)
                    if (failedRequests != null && again.vestibuleFailedCalls() == 0) return false;
                    if (!again.allAnswered() || again.referencesDisagree()) return false;
                    Optional<Answer.Difference> still = again.vestibule.differenceFrom(again.reference());
                    if (still.isEmpty() || still.get().kind() != kind) return false;
                    // the same class too: a difference of no known class must not shrink into a known one
                    Case shrinking = new Case(target, seed, candidate, again.vestibule, again.references, still, false, null, Optional.empty());
                    return settings.explain().apply(supergraph, shrinking).equals(known);
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            Answers last = seen.containsKey(small) ? seen.get(small) : answers;
            shrunk = new Shrunk(small, last.vestibule, last.references, kind == Answer.Kind.SILENT_FAILURE ? difference.get()
                    : last.vestibule.differenceFrom(last.reference()).orElse(difference.get()));
        }
        return new Case(target, seed, operation, answers.vestibule, answers.references, difference, disagree, shrunk, known);
    }

    /**
     * Vestibule's answer says nothing of a failure though {@code failedCalls} requests it made failed
     * ({@link FailingSubgraphs}): an answer without any error.
     */
    static boolean silentFailure(Answer vestibule, long failedCalls) {
        return failedCalls > 0 && vestibule.answered() && !vestibule.hasErrors();
    }

    /** {@code vestibuleFailedCalls}: the failing subgraphs' requests while Vestibule answered (0 when none fail). */
    private record Answers(Answer vestibule, Map<String, Answer> references, long vestibuleFailedCalls) {
        boolean silentFailure() {
            return DifferentialRunner.silentFailure(vestibule, vestibuleFailedCalls);
        }

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
        long failedBefore = failedRequests == null ? 0 : failedRequests.getAsLong();
        Answer mine = vestibule.query(text, operation.variables());
        long failedCalls = failedRequests == null ? 0 : failedRequests.getAsLong() - failedBefore;
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
        return new Answers(mine, answers, failedCalls);
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
                // which answer Vestibule's agrees with: plan-bench tells the operations where Apollo's planner needs
                // fewer fetches and Apollo Gateway answers other data than both Hive Gateway and Vestibule
                if (c.referencesDisagree()) line.put("vestibuleAgreesWith", c.vestibuleAgreesWith());
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
        report.cases().stream().filter(Case::referencesDisagree).forEach(c -> vestibuleSidesWith.merge(c.vestibuleAgreesWith(), 1, Integer::sum));
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
        Map<String, Object> timed = timedLatency(report.timings());
        if (!timed.isEmpty()) {
            summary.put("latencyMedians", timed);
            writeTimings(report.timings(), out);
        }
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
        text.append("latency, first answer (cold: each gateway's first plan of the operation, JITs warming): ").append(summary.get("latency")).append('\n');
        if (!timed.isEmpty()) {
            text.append("latency, medians of timed rounds (").append(timed.get("method")).append("):\n");
            text.append("  Vestibule's median above the slower reference's median: ").append(timed.get("vestibuleSlowerThanSlowestReference"))
                    .append(" of ").append(timed.get("operations")).append(" (ratio to the slower reference: ").append(timed.get("slowerRatio"))
                    .append("; by supergraph: ").append(timed.get("slowerBySupergraph")).append(")\n");
            text.append("    of which every reference failed the operation as a whole (no data) where Vestibule answered its data: ")
                    .append(timed.get("vestibuleSlowerWhereOnlyVestibuleAnswersData")).append('\n');
            text.append("  first above it in the timed rounds, then timed again alone in ").append(timed.get("retimedRounds"))
                    .append(" rounds whose medians count: ").append(timed.get("retimed")).append('\n');
            text.append("  above 1.5 x the slower reference's median: ").append(timed.get("vestibuleAbove1_5xSlowestReference")).append('\n');
            text.append("  ratio Vestibule / slower reference over all operations: ").append(timed.get("ratio")).append('\n');
            text.append("  median of the medians (microseconds): ").append(timed.get("medianOfMediansMicros")).append('\n');
            text.append("  load average (1 min) when a supergraph's timing began: ").append(timed.get("loadAverage")).append('\n');
            text.append("  every operation's medians: latency.jsonl; the slower ones, slowest first: latency-slower.txt\n");
        }
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

    /** The figures of the timed rounds (empty when the run timed none). */
    private static Map<String, Object> timedLatency(List<Timing> timings) {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (timings.isEmpty()) return figures;
        Timing first = timings.getFirst();
        List<Timing> slower = timings.stream().filter(Timing::vestibuleSlower).toList();
        figures.put("method", "each operation's median over the rounds, the gateways interleaved in rotating order, after the"
                + " comparison pass and warm-up rounds");
        figures.put("operations", timings.size());
        figures.put("vestibuleSlowerThanSlowestReference", slower.size());
        figures.put("vestibuleSlowerWhereOnlyVestibuleAnswersData", slower.stream().filter(t -> !t.vestibuleSlowerThanAnAnswer()).count());
        figures.put("retimed", timings.stream().filter(t -> t.firstRatio() != null).count());
        figures.put("retimedRounds", RETIMED_ROUNDS);
        figures.put("vestibuleAbove1_5xSlowestReference", timings.stream().filter(t -> t.ratio() > 1.5).count());
        figures.put("slowerRatio", ratios(slower));
        Map<String, Integer> bySupergraph = new TreeMap<>();
        slower.forEach(t -> bySupergraph.merge(t.target(), 1, Integer::sum));
        figures.put("slowerBySupergraph", bySupergraph);
        figures.put("ratio", ratios(timings));
        Map<String, Long> medians = new LinkedHashMap<>();
        medians.put("vestibule", percentile(timings.stream().mapToLong(Timing::vestibuleMicros).sorted().toArray(), 0.5));
        for (String id : first.referenceMicros().keySet()) {
            medians.put(id, percentile(timings.stream().mapToLong(t -> t.referenceMicros().get(id)).sorted().toArray(), 0.5));
        }
        figures.put("medianOfMediansMicros", medians);
        double[] loads = timings.stream().mapToDouble(Timing::loadAverage).filter(l -> l >= 0).toArray();
        figures.put("loadAverage", loads.length == 0 ? "unknown"
                : String.format("%.1f-%.1f", Arrays.stream(loads).min().orElse(0), Arrays.stream(loads).max().orElse(0)));
        return figures;
    }

    /** Percentiles of Vestibule's ratio to the slower reference (p10, p50, p90, p99, max), two decimals. */
    private static Map<String, Double> ratios(List<Timing> timings) {
        double[] sorted = timings.stream().mapToDouble(Timing::ratio).sorted().toArray();
        Map<String, Double> figures = new LinkedHashMap<>();
        if (sorted.length == 0) return figures;
        for (double p : new double[] {0.1, 0.5, 0.9, 0.99}) {
            figures.put("p" + Math.round(p * 100), Math.round(sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] * 100) / 100.0);
        }
        figures.put("max", Math.round(sorted[sorted.length - 1] * 100) / 100.0);
        return figures;
    }

    private static void writeTimings(List<Timing> timings, Path out) throws IOException {
        ObjectMapper compact = new ObjectMapper();
        try (BufferedWriter lines = Files.newBufferedWriter(out.resolve("latency.jsonl"))) {
            for (Timing t : timings) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("supergraph", t.target());
                line.put("seed", t.seed());
                line.put("operation", t.operation().compact());
                line.put("variables", t.operation().variables());
                line.put("vestibuleMicros", t.vestibuleMicros());
                line.put("referenceMicros", t.referenceMicros());
                line.put("ratio", Math.round(t.ratio() * 100) / 100.0);
                if (t.firstRatio() != null) line.put("firstRatio", Math.round(t.firstRatio() * 100) / 100.0);
                line.put("loadAverage", t.loadAverage());
                if (t.onlyVestibuleAnswersData()) line.put("onlyVestibuleAnswersData", true);
                lines.write(compact.writeValueAsString(line));
                lines.newLine();
            }
        }
        StringBuilder text = new StringBuilder("# Vestibule's median latency above the slower reference's: ratio, supergraph,"
                + " medians in microseconds (Vestibule, then each reference), load average, operation, variables, and the ratio"
                + " of the first timed rounds (the medians are the retimed rounds'); \"no data from the references\": every reference"
                + " failed the operation as a whole where Vestibule answered its data\n");
        timings.stream().filter(Timing::vestibuleSlower).sorted((a, b) -> Double.compare(b.ratio(), a.ratio())).forEach(t ->
                text.append(String.format("%.2f  %s  v=%d %s  load %.1f  %s  %s  (first rounds %.2f)%s%n", t.ratio(), t.target(),
                        t.vestibuleMicros(), t.referenceMicros(), t.loadAverage(), t.operation().compact(), t.operation().variables(),
                        t.firstRatio(), t.onlyVestibuleAnswersData() ? "  no data from the references" : "")));
        Files.writeString(out.resolve("latency-slower.txt"), text);
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

        /** Microseconds from sending the request to having read the response's body; -1 without an answer. */
        long time(String requestJson) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json").header("accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(requestJson)).build();
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? (System.nanoTime() - start) / 1_000 : -1;
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void close() {
            server.close();
            router.close();
        }
    }
}
