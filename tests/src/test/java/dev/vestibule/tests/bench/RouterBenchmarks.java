package dev.vestibule.tests.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Gateway;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.json.JsonWriter;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.SubgraphHeaders;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.planner.QueryPlanner;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.tests.Answers;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's own cost on the gateways benchmark query (../shared/bench), network taken away (issue #6):
 * <ul>
 *   <li>{@code planCold}: planning the query with no plan cache (parsing and validation already cached);</li>
 *   <li>{@code planCached}: what a repeated query pays before execution: document cache and plan cache lookups;</li>
 *   <li>{@code pipeline}: one whole request in process: the HTTP body parsed, the operation prepared (caches),
 *       planned (cache), executed against canned subgraph answers, merged, shaped and serialized;</li>
 *   <li>{@code writeResponse}: the last step of it alone, the shaped 87.6 KB answer written as JSON bytes.</li>
 * </ul>
 * Run with {@code tests/bench/jmh.sh}; results are operations per second on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2) // on one core the JIT needs about 15 s to settle the pipeline
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RouterBenchmarks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_NANOS = RouterSettings.DEFAULTS.requestTimeout().toNanos();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private Supergraph supergraph;
    private Router router;
    private CannedSubgraphs subgraphs;
    private GraphQLRequest request;
    private byte[] body;
    private PreparedOperation operation;
    private Map<String, Object> response;
    /** As the HTTP layer keeps one: it sizes each output buffer by the last answer. */
    private final JsonWriter writer = new JsonWriter();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        supergraph = SupergraphLoader.load(CannedSubgraphs.resource("supergraph.graphql"));
        subgraphs = CannedSubgraphs.fromRecording();
        router = new Router(supergraph, RouterSettings.DEFAULTS, subgraphs);
        String query = CannedSubgraphs.resource("query.graphql");
        request = new GraphQLRequest(query, null, null, null);
        body = JSON.writeValueAsBytes(Map.of("query", query));
        operation = router.prepare(request, Caller.ANONYMOUS).operation();
        response = Answers.execute(router, request);
        byte[] answer = pipeline().toArray();
        Map<String, Object> response = JSON.readValue(answer, JSON_OBJECT);
        // a benchmark of errors would measure nothing: the canned answers must cover every fetch of the plan
        if (response.containsKey("errors") || subgraphs.misses() > 0) {
            throw new IllegalStateException("the pipeline does not answer from the recording (" + subgraphs.misses()
                    + " misses; re-record with tests/bench/jmh.sh --record URL): " + response.get("errors"));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
    }

    @Benchmark
    public QueryPlan planCold() {
        return new QueryPlanner(supergraph).plan(operation);
    }

    @Benchmark
    public Gateway.Prepared planCached() {
        return router.prepare(request, null);
    }

    @Benchmark
    public JsonBytes pipeline() throws Exception {
        Map<String, Object> parsed = JSON.readValue(body, JSON_OBJECT);
        GraphQLRequest incoming = new GraphQLRequest((String) parsed.get("query"), null, null, null);
        // as the HTTP layer answers: a context per request, the deadline from now
        return router.execute(incoming, new RequestContext(Caller.ANONYMOUS, SubgraphHeaders.NONE, System.nanoTime() + TIMEOUT_NANOS, false));
    }

    @Benchmark
    public JsonBytes writeResponse() {
        return writer.write(response);
    }

    /** Without JMH, for a profiler (e.g. -XX:StartFlightRecording): runs the pipeline for {@code args[0]} seconds. */
    public static void main(String[] args) throws Exception {
        RouterBenchmarks b = new RouterBenchmarks();
        b.setUp();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.length > 0 ? Long.parseLong(args[0]) : 10);
        long runs = 0;
        while (System.nanoTime() < end) {
            b.pipeline();
            runs++;
        }
        System.out.println(runs + " requests, " + b.pipeline().length() + " bytes each");
        b.tearDown();
    }
}
