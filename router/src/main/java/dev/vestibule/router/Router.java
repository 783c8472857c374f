package dev.vestibule.router;

import dev.vestibule.router.execution.ExecutionSettings;
import dev.vestibule.router.execution.ExecutionState;
import dev.vestibule.router.execution.PlanExecutor;
import dev.vestibule.router.execution.ResponseShaper;
import dev.vestibule.router.execution.WrittenAnswers;
import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.json.JsonOutput;
import dev.vestibule.router.json.JsonWriter;
import dev.vestibule.router.operation.AccessFilter;
import dev.vestibule.router.operation.BoundedCache;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.CostEstimator;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.OperationPreparer;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.operation.SelectionNormalizer;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.RequestTrace;
import dev.vestibule.router.pipeline.Stage;
import dev.vestibule.router.planner.PlanJson;
import dev.vestibule.router.planner.PlanningException;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.planner.QueryPlanner;
import dev.vestibule.router.subgraph.OkHttpTransport;
import dev.vestibule.router.subgraph.ProtectedTransport;
import dev.vestibule.router.subgraph.SubgraphClient;
import dev.vestibule.router.subgraph.SubgraphProtection;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.subgraph.traffic.Cohort;
import dev.vestibule.router.subgraph.traffic.SubgraphTraffic;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import dev.vestibule.router.supergraph.ProgressiveOverride;
import dev.vestibule.router.supergraph.Subgraph;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.language.OperationDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The {@link Gateway}: one supergraph's request pipeline, and the object that builds it (preparer, planner and plan
 * cache, subgraph client over its transport, executor, shaper). Thread-safe; one instance serves every request.
 */
public final class Router implements Gateway {
    private final Supergraph supergraph;
    private final RouterSettings settings;
    private final OperationPreparer preparer;
    private final QueryPlanner planner;
    /** With progressive overrides: a planner per set of active labels (at most 2^labels), made when first needed. */
    private final Map<Set<String>, QueryPlanner> labelledPlanners = new ConcurrentHashMap<>();
    private final SortedSet<String> overrideLabels;
    /** Named labels on for a share of the callers (traffic_shaping.callers.override_percent). */
    private final Map<String, Double> labelPercents;
    private final AccessFilter access;
    private final CostEstimator costs;
    private final BoundedCache<PlanKey, QueryPlan> plans;
    /**
     * Why an operation cannot be planned, by the same key: planning that fails walks every route it can try before
     * it gives up, and a client repeating the operation would pay that again on each request (the differential
     * tester's timed rounds found such operations answered slower than the references, which remember them too).
     */
    private final BoundedCache<PlanKey, String> unplannable;
    private final SubgraphClient client;
    private final ExecutorService fetchThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final PlanExecutor executor;
    private final ResponseShaper shaper;
    /** Sizes each answer's output buffer by the last answer. */
    private final JsonWriter answers = new JsonWriter();
    /** Responses of requests that merged the same subgraph answers: the latest 8, each at most 1 MB. */
    private final WrittenAnswers writtenAnswers = new WrittenAnswers(8, 1 << 20);
    private final GraphQL introspection;
    private final GatewayObserver observer;
    private final SubgraphTraffic traffic;

    /** Over HTTP ({@link OkHttpTransport}), observed by nobody. */
    public Router(Supergraph supergraph, RouterSettings settings) {
        this(supergraph, settings, GatewayObserver.NONE);
    }

    /** Over HTTP ({@link OkHttpTransport}); {@code observer} watches every request. */
    public Router(Supergraph supergraph, RouterSettings settings, GatewayObserver observer) {
        this(supergraph, settings, httpTransport(supergraph, settings), observer);
    }

    /** With the subgraph transport given (benchmarks answer from canned responses); the router closes it. */
    public Router(Supergraph supergraph, RouterSettings settings, SubgraphTransport transport) {
        this(supergraph, settings, transport, GatewayObserver.NONE);
    }

    /** With the subgraph transport given, which the router closes; {@code observer} watches every request. */
    public Router(Supergraph supergraph, RouterSettings settings, SubgraphTransport transport, GatewayObserver observer) {
        this.observer = observer;
        this.supergraph = supergraph;
        this.settings = settings;
        this.preparer = new OperationPreparer(supergraph.apiSchema(), settings.documentCacheSize(), settings.limits());
        this.planner = new QueryPlanner(supergraph);
        this.overrideLabels = supergraph.overrideLabels();
        this.labelPercents = settings.trafficShaping().callers().labelPercents();
        this.access = new AccessFilter(supergraph);
        this.costs = new CostEstimator(supergraph.apiSchema(), supergraph.demand(),
                settings.limits().defaultListSize());
        this.plans = new BoundedCache<>(settings.planCacheSize());
        this.unplannable = new BoundedCache<>(settings.planCacheSize());
        // the protection limit and bulkhead below the shared calls: only calls that go out take a permit (see
        // ProtectedTransport); the retries, breakers and pools below them (see SubgraphTraffic)
        this.traffic = new SubgraphTraffic(settings.trafficShaping(), supergraph.subgraphs().stream().map(Subgraph::name).toList(),
                observer.traffic());
        this.client = new SubgraphClient(ProtectedTransport.around(traffic.around(transport),
                new SubgraphProtection(settings.subgraphLimits(), traffic.bulkheads(), observer.traffic())));
        this.executor = new PlanExecutor(supergraph, client, fetchThreads,
                new ExecutionSettings(settings.exposeSubgraphErrors(), settings.deduplication().subgraphQueries()), traffic::url);
        this.shaper = new ResponseShaper(supergraph.apiSchema(), supergraph.schema(), supergraph.interfaceObjects());
        this.introspection = GraphQL.newGraphQL(supergraph.apiSchema()).build();
    }

    private static SubgraphTransport httpTransport(Supergraph supergraph, RouterSettings settings) {
        return new OkHttpTransport(settings.subgraphTimeout(), settings.connectionsPerSubgraph(), supergraph.subgraphs().size(),
                supergraph.subgraphs().stream().anyMatch(s -> s.url().regionMatches(true, 0, "https:", 0, 6))
                        || settings.trafficShaping().subgraphs().values().stream()
                        .flatMap(p -> Stream.concat(Stream.concat(p.urls().stream(), p.canary().urls().stream()),
                                Stream.ofNullable(p.shadow().url())))
                        .anyMatch(url -> url.regionMatches(true, 0, "https:", 0, 6)),
                settings.subgraphIdleTimeout(), settings.subgraphConnections());
    }

    @Override
    public Supergraph supergraph() {
        return supergraph;
    }

    @Override
    public Prepared prepare(GraphQLRequest request, Caller caller) {
        return prepare(request, caller, Set.of(), RequestStage.NONE);
    }

    /**
     * The progressive override labels active for {@code cohort}, among the supergraph's: {@code percent(N)} for N % of
     * the callers (sticky by the caller's key, one draw per label), a named one when the config or the caller enabled it
     * or, with a share in the config, for that share of the callers.
     */
    public Set<String> activeLabels(Cohort cohort) {
        if (overrideLabels.isEmpty()) return Set.of();
        Set<String> active = new TreeSet<>();
        for (String label : overrideLabels) {
            double percent = ProgressiveOverride.percentOf(label);
            Double configured = percent >= 0 ? null : labelPercents.get(label);
            boolean on = percent >= 0 ? cohort.place("override:" + label) < percent
                    : cohort.labels().contains(label) || configured != null && cohort.place("override:" + label) < configured;
            if (on) active.add(label);
        }
        return active;
    }

    @Override
    public Object trafficSplit(Cohort cohort) {
        if (overrideLabels.isEmpty() && !traffic.hasCanaries()) return null;
        return new Split(activeLabels(cohort), traffic.canariesOf(cohort));
    }

    @Override
    public TrafficShaping.Callers callers() {
        return settings.trafficShaping().callers();
    }

    /** A request's place in the splits: the override labels active for it and the subgraphs whose canary it uses. */
    private record Split(Set<String> labels, Set<String> canaries) {}

    /** The planner for a set of active override labels: the supergraph's own without progressive overrides. */
    private QueryPlanner planner(Set<String> labels) {
        if (overrideLabels.isEmpty()) return planner;
        return labelledPlanners.computeIfAbsent(labels, l -> new QueryPlanner(supergraph.withActiveLabels(l)));
    }

    private Prepared prepare(GraphQLRequest request, Caller caller, Set<String> labels, RequestStage stage) {
        Stage preparing = stage.beginPrepare();
        PreparedOperation operation;
        try {
            operation = preparer.prepare(request);
        } catch (RuntimeException e) {
            preparing.end(e);
            throw e;
        }
        preparing.end(null);
        stage.prepared(operation);
        boolean filtering = caller != null && !access.idle();
        // one plan serves every value of the variables @skip/@include read: they are decided in the plan (Condition
        // nodes, subgraph operations) and by the response shaper
        // keyed by the caller's access level as sets (never a joined string: the scope set {admin, read} and the one
        // scope "admin, read" must not share a plan)
        // and by the active progressive override labels: each set of them has a planner of its own
        PlanKey key = new PlanKey(request.query(), operation.name(), filtering ? access.accessLevel(caller) : null, labels);
        QueryPlan plan = plans.get(key);
        if (plan != null) {
            stage.beginPlan(true).end(null);
            return new Prepared(operation, plan);
        }
        String why = unplannable.get(key);
        if (why != null) {
            RequestError error = unplannableError(why);
            stage.beginPlan(true).end(error);
            throw error;
        }
        Stage planning = stage.beginPlan(false);
        try {
            plan = plans.computeIfAbsent(key,
                    k -> k.accessLevel() != null ? planner(k.labels()).plan(operation, access, k.accessLevel())
                            : planner(k.labels()).plan(operation));
        } catch (PlanningException e) {
            unplannable.put(key, e.getMessage());
            RequestError error = unplannableError(e.getMessage());
            planning.end(error);
            throw error;
        } catch (RuntimeException e) {
            planning.end(e);
            throw e;
        }
        planning.end(null);
        return new Prepared(operation, plan);
    }

    private static RequestError unplannableError(String why) {
        return RequestError.of(400, "the operation cannot be planned: " + why, "QUERY_PLANNING_FAILED");
    }

    /**
     * What a cached plan is for: the operation, the access level it was filtered for (null: not filtered), and the
     * progressive override labels active.
     */
    private record PlanKey(String query, String operationName, Caller accessLevel, Set<String> labels) {}

    /**
     * Runs a request and writes its response body ({errors, data, extensions}) as JSON: the shaper writes the data
     * while it walks the merged subgraph answers.
     *
     * @throws RequestError when the request is rejected before execution
     */
    @Override
    public JsonBytes execute(GraphQLRequest request, RequestContext context) {
        RequestStage observed = observer.beginRequest(request, context);
        // a request that asks for its plan gets its trace too (the explorer's plan panel), recorded around what the
        // observer sees of it
        RequestTrace trace = context.exposePlan() ? new RequestTrace(observed) : null;
        RequestStage stage = trace != null ? trace : observed;
        try {
            JsonBytes answer = answer(request, context, stage, trace);
            stage.end(null);
            return answer;
        } catch (RuntimeException | Error e) {
            stage.end(e);
            throw e;
        }
    }

    private JsonBytes answer(GraphQLRequest request, RequestContext context, RequestStage stage, RequestTrace trace) {
        boolean exposePlan = trace != null;
        Prepared prepared = prepare(request, context.caller(), activeLabels(context.cohort()), stage);
        if (settings.limits().maxCost() > 0) {
            long cost = costs.estimate(prepared.plan().selections(), prepared.plan().rootType(), prepared.operation().variables());
            if (cost > settings.limits().maxCost()) {
                throw RequestError.of(400, "the operation's estimated cost is " + cost + "; the limit is " + settings.limits().maxCost(),
                        "COST_ESTIMATED_TOO_EXPENSIVE");
            }
        }
        ExecutionState state = new ExecutionState();
        List<Map<String, Object>> errors = new ArrayList<>();
        // the values of the variables @skip/@include read: introspection and shaping both decide by them
        Map<String, Object> conditions = SelectionNormalizer.conditionValues(prepared.operation());
        Map<String, Object> introspected = introspect(prepared, request, conditions, errors);
        Stage executing = stage.beginExecute(prepared.plan());
        try {
            executor.execute(prepared.plan(), prepared.operation().variables(), context, stage, state);
        } catch (RuntimeException | Error e) {
            executing.end(e);
            throw e;
        }
        executing.end(null);
        WrittenAnswers.Key writtenKey = introspected.isEmpty() && !exposePlan
                ? writtenAnswers.keyOf(prepared.plan(), state, conditions) : null;
        if (writtenKey != null) {
            JsonBytes written = writtenAnswers.find(writtenKey);
            if (written != null) {
                stage.beginWrite(true).end(null);
                return written;
            }
        }
        Stage writing = stage.beginWrite(false);
        JsonBytes answer;
        try {
            answer = write(prepared, state, introspected, errors, conditions, trace);
        } catch (RuntimeException | Error e) {
            writing.end(e);
            throw e;
        }
        writing.end(null);
        if (writtenKey != null) writtenAnswers.keep(writtenKey, answer);
        for (int i = 0, n = errors.size(); i < n; i++) stage.error(errors.get(i));
        return answer;
    }

    /** Shapes the merged data into the answer's JSON: errors first (the executor's and the shaper's), then data. */
    private JsonBytes write(Prepared prepared, ExecutionState state, Map<String, Object> introspected,
                            List<Map<String, Object>> errors, Map<String, Object> conditions, RequestTrace trace) {
        Map<String, Object> data = state.data();
        data.putAll(introspected);
        errors.addAll(state.errors());
        JsonOutput out = answers.newOutput();
        out.raw(DATA_FIRST);
        int dataStart = out.position();
        shaper.write(out, data, prepared.plan().selections(), prepared.plan().rootType(), errors, prepared.plan().denied(), conditions);
        if (!errors.isEmpty()) {
            // errors go first, as they always have; they are known only once the data is written, so the data moves
            JsonOutput withErrors = new JsonOutput(out.position() + 256 * errors.size() + 64);
            withErrors.raw(ERRORS_FIRST);
            withErrors.value(errors);
            withErrors.raw(DATA_AFTER);
            JsonBytes written = out.toJsonBytes();
            withErrors.raw(written.array(), dataStart, written.length() - dataStart);
            out = withErrors;
        }
        if (trace != null) {
            // the plan as text (as `vestibule plan` prints it), as a tree (as `plan --json`), and the request's trace
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("queryPlan", prepared.plan().toString());
            extensions.put("queryPlanTree", PlanJson.of(prepared.plan()));
            extensions.put("trace", trace.toJson());
            out.raw(EXTENSIONS_AFTER);
            out.value(extensions);
        }
        out.raw((byte) '}');
        return answers.finish(out);
    }

    private static final byte[] DATA_FIRST = bytes("{\"data\":");
    private static final byte[] ERRORS_FIRST = bytes("{\"errors\":");
    private static final byte[] DATA_AFTER = bytes(",\"data\":");
    private static final byte[] EXTENSIONS_AFTER = bytes(",\"extensions\":");

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /** __schema and __type, answered from the API schema by graphql-java (when introspection is on). */
    private Map<String, Object> introspect(Prepared prepared, GraphQLRequest request, Map<String, Object> conditions,
                                           List<Map<String, Object>> errors) {
        List<Selection.Field> rootFields = rootFields(prepared.plan().selections(), conditions);
        boolean asks = rootFields.stream().anyMatch(Router::isIntrospection);
        if (!asks) return Map.of();
        if (!settings.introspection()) {
            throw RequestError.of(400, "introspection is disabled on this router", "INTROSPECTION_DISABLED");
        }
        ExecutionResult result = introspection.execute(ExecutionInput.newExecutionInput(request.query())
                .operationName(request.operationName()).variables(prepared.operation().variables()).build());
        Map<String, Object> data = result.getData();
        Map<String, Object> out = new LinkedHashMap<>();
        if (data != null) {
            for (Selection.Field f : rootFields) {
                if (isIntrospection(f)) out.put(f.responseKey(), data.get(f.responseKey()));
            }
        }
        return out;
    }

    /** The root fields a request asks for: through fragments, those whose @skip/@include hold. */
    private static List<Selection.Field> rootFields(List<Selection> selections, Map<String, Object> conditions) {
        List<Selection.Field> out = new ArrayList<>();
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> out.add(f);
                case Selection.Fragment f -> {
                    if (f.applies(conditions)) out.addAll(rootFields(f.selections(), conditions));
                }
            }
        }
        return out;
    }

    private static boolean isIntrospection(Selection selection) {
        return selection instanceof Selection.Field f && f.isIntrospection();
    }

    /**
     * Plans on this router's supergraph the operations {@code previous} planned most recently (up to {@code limit},
     * for the same access levels and override labels), into this router's plan cache: a hot reload calls it before
     * this router serves, so that the operations in use meet a planned operation after the swap instead of planning
     * on the request path. An operation this supergraph no longer validates or plans is left out: its next request
     * gets the error. Returns how many were planned.
     */
    public int planAgain(Router previous, int limit) {
        int planned = 0;
        for (PlanKey key : previous.plans.recentKeys(limit)) {
            try {
                PreparedOperation operation = preparer.forPlanning(key.query(), key.operationName());
                QueryPlanner planner = planner(key.labels());
                plans.put(key, key.accessLevel() != null ? planner.plan(operation, access, key.accessLevel()) : planner.plan(operation));
                planned++;
            } catch (RequestError | PlanningException e) {
                // no longer valid or plannable on this supergraph: the next request with it is answered with why
            }
        }
        return planned;
    }

    /** Plans in the plan cache now (a metrics gauge reads it). */
    public int planCacheSize() {
        return plans.size();
    }

    /** The per-subgraph traffic mechanisms' state (circuit breakers, retries, instance pools), for readiness and tests. */
    public SubgraphTraffic traffic() {
        return traffic;
    }

    @Override
    public OperationDefinition.Operation operationKind(GraphQLRequest request) {
        return preparer.kind(request);
    }

    @Override
    public void close() {
        client.close();
        fetchThreads.shutdown();
    }
}
