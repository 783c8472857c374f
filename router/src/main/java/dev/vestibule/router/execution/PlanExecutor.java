package dev.vestibule.router.execution;

import dev.vestibule.router.concurrent.SharedCalls;
import dev.vestibule.router.json.JsonObject;
import dev.vestibule.router.operation.GraphQLErrors;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.subgraph.traffic.Cohort;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.planner.PlanNode;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphClient;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphResponse;
import dev.vestibule.router.supergraph.Subgraph;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.TypeRelations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs a query plan: fetches in a Parallel node run concurrently (on virtual threads), Sequence nodes in order.
 * Root fetch results are merged into the response data; entity fetches collect the objects at their path, send one
 * `_entities` call with the de-duplicated representations, and merge each answer back into every object it came
 * from. A failed fetch leaves its fields missing and records errors at their paths; every other fetch still runs.
 */
public final class PlanExecutor {
    private final Supergraph supergraph;
    private final TypeRelations relations;
    private final SubgraphClient client;
    private final ExecutorService executor;
    private final ExecutionSettings settings;
    // made once: a method reference written at each call allocates a new object per merge and per representation
    private final Predicate<String> isAbstract = this::isAbstract;
    private final BiPredicate<String, String> matches = this::matches;
    private final SubgraphRoutes routes;

    /** Where a subgraph's fetches go for a caller: {@code primary} (the supergraph's URL) or another (a canary's). */
    @FunctionalInterface
    public interface SubgraphRoutes {
        SubgraphRoutes PRIMARY = (subgraph, primary, cohort) -> primary;

        String url(String subgraph, String primary, Cohort cohort);
    }

    /** @param routes where a subgraph's fetches go for a request (a canary's URL for a caller in its share) */
    public PlanExecutor(Supergraph supergraph, SubgraphClient client, ExecutorService executor, ExecutionSettings settings,
                        SubgraphRoutes routes) {
        this.supergraph = supergraph;
        this.routes = routes;
        this.relations = new TypeRelations(supergraph.schema());
        this.client = client;
        this.executor = executor;
        this.settings = settings;
    }

    /** Fetches everything the plan asks for into {@code state}, with the headers and by the deadline of {@code context}. */
    public void execute(QueryPlan plan, Map<String, Object> variables, RequestContext context, RequestStage stage,
                        ExecutionState state) {
        if (plan.root() != null) run(plan.root(), new Request(variables, context, stage), state);
    }

    /** What every fetch of one request shares; {@code stage} is told each subgraph call. */
    private record Request(Map<String, Object> variables, RequestContext context, RequestStage stage) {}

    private void run(PlanNode node, Request request, ExecutionState state) {
        switch (node) {
            case PlanNode.Sequence s -> s.nodes().forEach(n -> run(n, request, state));
            case PlanNode.Parallel p -> runParallel(p.nodes(), request, state);
            case PlanNode.Fetch f -> rootFetch(f, request, state);
            case PlanNode.Flatten f -> entityFetch(f, request, state);
            case PlanNode.BatchFetch b -> batchFetch(b, request, state);
            case PlanNode.Condition c -> {
                PlanNode branch = Boolean.TRUE.equals(request.variables().get(c.variable())) ? c.ifClause() : c.elseClause();
                if (branch != null) run(branch, request, state);
            }
        }
    }

    /**
     * Every node but the last on a thread of its own, the last on this thread (which would otherwise only wait):
     * one thread start and one park fewer per parallel stage.
     */
    private void runParallel(List<PlanNode> nodes, Request request, ExecutionState state) {
        int last = nodes.size() - 1;
        if (last < 0) return;
        CompletableFuture<?>[] others = new CompletableFuture<?>[last];
        for (int i = 0; i < last; i++) {
            PlanNode node = nodes.get(i);
            others[i] = CompletableFuture.runAsync(() -> run(node, request, state), executor);
        }
        try {
            run(nodes.get(last), request, state);
        } finally {
            CompletableFuture.allOf(others).join();
        }
    }

    private void rootFetch(PlanNode.Fetch fetch, Request request, ExecutionState state) {
        RequestContext context = request.context();
        SubgraphResponse answer;
        SubgraphCallStage call = request.stage().beginSubgraphCall(fetch.subgraph(), fetch.operationName());
        try {
            answer = client.post(fetch.subgraph(), url(fetch.subgraph(), context), fetch.operation(), fetch.operationName(),
                    usedVariables(fetch, request.variables()), context.subgraphHeaders().forSubgraph(fetch.subgraph()),
                    context.propagationHeaders(), context.deadlineNanos(),
                    settings.shareSubgraphQueries() && !fetch.operation().startsWith("mutation"), call);
        } catch (SubgraphFailure failure) {
            call.end(failure);
            for (String key : fetch.topLevelKeys()) {
                state.addError(failureError(fetch.subgraph(), failure, List.of(key)));
            }
            return;
        }
        call.end(null);
        Map<String, Object> response = answer.json();
        synchronized (state) {
            state.merged(fetch, answer.call(), null);
            if (response.get("data") instanceof Map<?, ?> data) Merging.merge(state.data(), data, isAbstract, fetch.retypesFields());
            for (Map<String, Object> error : errorsOf(response)) {
                state.addError(subgraphError(fetch.subgraph(), error, pathOf(error)));
            }
            if (!(response.get("data") instanceof Map<?, ?>) && errorsOf(response).isEmpty()) {
                state.addError(failureError(fetch.subgraph(), new SubgraphFailure("SUBGRAPH_INVALID_RESPONSE",
                        "the response has neither data nor errors", null), List.of()));
            }
        }
    }

    /**
     * Entity fetches in flight by what their representations are made of ({@link Lineage}). Under load nearly every
     * entity fetch has an identical one in flight; joining it here spares building representations and a request body
     * only to find them equal to the ones in flight (most of that CPU under UNIQUE_AUTH is spared by this,
     * docs/performance.md, "Figures behind the code").
     */
    private final SharedCalls<BatchKey, BatchAnswer> batches = new SharedCalls<>();

    /**
     * What an entity fetch's request depends on: the plan node (by identity), the lineage of the data it picks its
     * representations from, the URL it goes to (a canary's is not the primary's), the subgraph's headers and the
     * fetch's variables.
     */
    private record BatchKey(PlanNode.Flatten node, String url, Lineage lineage, Map<String, String> headers, Map<String, Object> variables,
                            int hash) {
        BatchKey(PlanNode.Flatten node, String url, Lineage lineage, Map<String, String> headers, Map<String, Object> variables) {
            this(node, url, lineage, headers, variables,
                    (((System.identityHashCode(node) * 31 + url.hashCode()) * 31 + lineage.hashCode()) * 31 + headers.hashCode()) * 31
                            + variables.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BatchKey k && k.hash == hash && k.node == node && k.url.equals(url) && k.lineage.equals(lineage)
                    && k.headers.equals(headers) && k.variables.equals(variables);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** An entity fetch's answer with the batch it asked for. */
    private record BatchAnswer(SubgraphResponse response, EntityBatch batch) {}

    private void entityFetch(PlanNode.Flatten flatten, Request request, ExecutionState state) {
        boolean sent = sendEntityFetch(flatten, request, state);
        if (flatten.withoutRequiring() != null && sent) sendKeptBack(flatten, request, state);
    }

    /** Sends an entity fetch and merges its answer: false where the subgraph call failed. */
    private boolean sendEntityFetch(PlanNode.Flatten flatten, Request request, ExecutionState state) {
        PlanNode.Fetch fetch = flatten.fetch();
        RequestContext context = request.context();
        long deadlineNanos = context.deadlineNanos();
        Map<String, Object> used = usedVariables(fetch, request.variables());
        Map<String, String> subgraphHeaders = Map.copyOf(context.subgraphHeaders().forSubgraph(fetch.subgraph())); // a key part: copied once
        String url = url(fetch.subgraph(), context);
        Function<Map<String, Object>, Map<String, Object>> representation = entity -> representation(entity, fetch, state);
        List<Map<String, Object>> entities;
        BatchKey key = null;
        EntityBatch batch = null;
        synchronized (state) {
            entities = Entities.collect(state.data(), flatten.paths());
            if (entities.isEmpty()) return true;
            if (settings.shareSubgraphQueries()) key = new BatchKey(flatten, url, state.lineage(), subgraphHeaders, used);
            // a batch goes with the lineage it was built at, so it is built under the lock the lineage was read under
            if (key == null || !batches.inFlight(key)) batch = EntityBatch.of(entities, representation, state.lineage());
        }
        if (batch != null && batch.isEmpty()) return true;
        SubgraphCallStage call = request.stage().beginSubgraphCall(fetch.subgraph(), fetch.operationName());
        BatchAnswer answer = null;
        try {
            if (batch == null) {
                // told before waiting, so an observer sees the join while the call is in flight; nothing to tell: no allocation
                Consumer<SharedCalls.Call<BatchAnswer, ?>> joining = call == SubgraphCallStage.NONE ? null
                        : leader -> call.joined(SubgraphCallStage.Join.ENTITY_FETCH, Ask.stageOf(leader));
                answer = batches.joinLeader(key, deadlineNanos, joining, SubgraphFailure::missed, SubgraphFailure.class);
            }
            if (answer == null) {
                if (batch == null) { // the fetch to join ended meanwhile, and a parallel fetch may have merged since
                    synchronized (state) {
                        entities = Entities.collect(state.data(), flatten.paths());
                        key = new BatchKey(flatten, url, state.lineage(), subgraphHeaders, used);
                        batch = EntityBatch.of(entities, representation, state.lineage());
                    }
                    if (batch.isEmpty()) {
                        call.end(null);
                        return true;
                    }
                }
                EntityBatch asked = batch;
                // another request's fetch may begin between the look and the run: this one joins it then (Ask.joining)
                answer = key == null ? ask(fetch, asked, used, subgraphHeaders, context, call)
                        : batches.run(key, deadlineNanos, new Ask(this, fetch, asked, used, subgraphHeaders, context, call),
                                SubgraphFailure::missed, SubgraphFailure.class);
            }
        } catch (SubgraphFailure failure) {
            if (batch != null) call.entities(batch.representations().size());
            call.end(failure);
            synchronized (state) {
                failEntities(flatten, failure, batch != null ? batch : EntityBatch.of(entities, representation, state.lineage()), entities, state);
            }
            return false;
        }
        call.entities(answer.batch().representations().size());
        call.end(null);
        mergeAnswer(flatten, answer, entities, state);
        return true;
    }

    /**
     * Asks {@code flatten}'s fetch without its @requires fields ({@link PlanNode.Flatten#withoutRequiring}) for the
     * objects it kept back because a required field is missing, the fetch that was to bring it having failed. Unlike
     * the fetch itself it is never shared with other requests: it is sent only where a fetch of this request failed.
     */
    private void sendKeptBack(PlanNode.Flatten flatten, Request request, ExecutionState state) {
        PlanNode.Flatten without = flatten.withoutRequiring();
        PlanNode.Fetch fetch = without.fetch();
        List<Map<String, Object>> entities;
        EntityBatch batch;
        synchronized (state) {
            if (!state.anyFailed()) return;
            entities = Entities.collect(state.data(), flatten.paths());
            if (entities.isEmpty()) return;
            batch = EntityBatch.of(entities, entity -> keptBack(entity, flatten.fetch(), state) ? representation(entity, fetch, state) : null,
                    state.lineage());
        }
        if (batch.isEmpty()) return;
        RequestContext context = request.context();
        Map<String, String> headers = Map.copyOf(context.subgraphHeaders().forSubgraph(fetch.subgraph()));
        SubgraphCallStage call = request.stage().beginSubgraphCall(fetch.subgraph(), fetch.operationName());
        call.entities(batch.representations().size());
        BatchAnswer answer;
        try {
            answer = ask(fetch, batch, usedVariables(fetch, request.variables()), headers, context, call);
        } catch (SubgraphFailure failure) {
            call.end(failure);
            synchronized (state) {
                failEntities(without, failure, batch, entities, state);
            }
            return;
        }
        call.end(null);
        mergeAnswer(without, answer, entities, state);
    }

    /**
     * A shared entity fetch's sending, run by the fetch that leads it; a fetch that joins it is told so with the leader's
     * stage (a class rather than a lambda, which would allocate as much and could not say whose it is).
     */
    private record Ask(PlanExecutor executor, PlanNode.Fetch fetch, EntityBatch batch, Map<String, Object> used,
                       Map<String, String> headers, RequestContext context, SubgraphCallStage stage)
            implements SharedCalls.Call<BatchAnswer, SubgraphFailure> {
        @Override
        public BatchAnswer call() throws SubgraphFailure {
            return executor.ask(fetch, batch, used, headers, context, stage);
        }

        @Override
        public void joining(SharedCalls.Call<BatchAnswer, ?> leader) {
            stage.joined(SubgraphCallStage.Join.ENTITY_FETCH, stageOf(leader));
        }

        static SubgraphCallStage stageOf(SharedCalls.Call<BatchAnswer, ?> leader) {
            return leader instanceof Ask ask ? ask.stage : SubgraphCallStage.NONE;
        }
    }

    /** Sends an entity fetch. */
    private BatchAnswer ask(PlanNode.Fetch fetch, EntityBatch batch, Map<String, Object> used, Map<String, String> headers,
                            RequestContext context, SubgraphCallStage call) throws SubgraphFailure {
        Map<String, Object> vars = new LinkedHashMap<>(used);
        vars.put("representations", batch.representations());
        return new BatchAnswer(client.post(fetch.subgraph(), url(fetch.subgraph(), context), fetch.operation(), fetch.operationName(), vars,
                headers, context.propagationHeaders(), context.deadlineNanos(), settings.shareSubgraphQueries(), call), batch);
    }

    /** Merges an entity fetch's answer into the entities it was asked for (collected in the batch's order). */
    private void mergeAnswer(PlanNode.Flatten flatten, BatchAnswer answer, List<Map<String, Object>> entities, ExecutionState state) {
        Map<String, Object> response = answer.response().json();
        Object results = response.get("data") instanceof Map<?, ?> data ? data.get("_entities") : null;
        List<Map<String, Object>> errors = errorsOf(response);
        synchronized (state) {
            mergeEntities(flatten, answer.response().call(), answer.batch(), entities, results, errors, errors.isEmpty(), state);
        }
    }

    /**
     * Merges the results of one entity fetch ({@code _entities}' list) into its entities and reports its errors (paths
     * under {@code _entities}) at their entities' paths. {@code answeredWithoutErrors}: the subgraph's response had no
     * error at all, so results that are not one per representation are the subgraph's fault. Call under the state's lock.
     */
    private void mergeEntities(PlanNode.Flatten flatten, long call, EntityBatch batch, List<Map<String, Object>> entities, Object results,
                               List<Map<String, Object>> errors, boolean answeredWithoutErrors, ExecutionState state) {
        PlanNode.Fetch fetch = flatten.fetch();
        state.merged(flatten, call, batch.basis());
        int[] slots = batch.slots();
        if (slots.length != entities.size()) { // equal lineages collect equal entities: this is a bug, not an answer
            state.addError(failureError(fetch.subgraph(), new SubgraphFailure("INTERNAL_SERVER_ERROR",
                    "a shared entity fetch answered for " + slots.length + " entities, this request has " + entities.size(), null),
                    pathOf(Entities.paths(state.data(), flatten.paths()), entities.get(0))));
            return;
        }
        if (results instanceof List<?> list && list.size() == batch.representations().size()) {
            Merging.Merger merger = Merging.merger(isAbstract, fetch.retypesFields());
            for (int e = 0, n = slots.length; e < n; e++) {
                if (slots[e] >= 0 && list.get(slots[e]) instanceof Map<?, ?> result) merger.merge(entities.get(e), result);
            }
        } else if (answeredWithoutErrors) {
            state.addError(failureError(fetch.subgraph(), new SubgraphFailure("SUBGRAPH_INVALID_RESPONSE",
                    "_entities did not return one result per representation", null),
                    pathOf(Entities.paths(state.data(), flatten.paths()), firstTarget(batch, entities))));
        }
        if (errors.isEmpty()) return;
        // where the entities are, found once for all of this fetch's errors
        Map<Object, List<Object>> paths = Entities.paths(state.data(), flatten.paths());
        int[] first = batch.firstEntities();
        for (Map<String, Object> error : errors) {
            List<Object> path = pathOf(error);
            List<Object> clientPath;
            if (path.size() >= 2 && "_entities".equals(path.get(0)) && path.get(1) instanceof Number n
                    && n.intValue() >= 0 && n.intValue() < first.length) {
                clientPath = pathOf(paths, entities.get(first[n.intValue()]));
                clientPath.addAll(path.subList(2, path.size()));
            } else {
                clientPath = pathOf(paths, firstTarget(batch, entities));
            }
            state.addError(subgraphError(fetch.subgraph(), error, clientPath));
        }
    }

    /**
     * Entity fetches sent in one request ({@link PlanNode.BatchFetch}): each part's objects are collected and its
     * representations built as for a fetch sent alone (under one lock, from data of one lineage), the request carries
     * each part's representations in a variable of its own (an empty list for a part with no object to ask for, or
     * whose own conditions do not hold), and
     * each part's answer, its aliased {@code _entities} field, is merged into its own objects, each error reported at
     * the objects of the part its path names (an error naming no part at the first part's first object). A failed
     * request fails every part's fields. Unlike a fetch sent alone, a batch is not joined with other requests' by
     * lineage; identical requests in flight are still shared by the subgraph client.
     */
    private void batchFetch(PlanNode.BatchFetch node, Request request, ExecutionState state) {
        RequestContext context = request.context();
        List<PlanNode.Flatten> parts = node.parts();
        List<List<Map<String, Object>>> entities = new ArrayList<>(parts.size());
        List<EntityBatch> batches = new ArrayList<>(parts.size());
        int representations = 0;
        synchronized (state) {
            for (int i = 0; i < parts.size(); i++) {
                PlanNode.Flatten part = parts.get(i);
                List<Map<String, Object>> found = node.asks(i, request.variables()) ? Entities.collect(state.data(), part.paths()) : List.of();
                EntityBatch batch = EntityBatch.of(found, entity -> representation(entity, part.fetch(), state), state.lineage());
                entities.add(found);
                batches.add(batch);
                representations += batch.representations().size();
            }
        }
        if (representations == 0) return;
        Map<String, Object> variables = new LinkedHashMap<>();
        for (String name : node.variableUsages()) if (request.variables().containsKey(name)) variables.put(name, request.variables().get(name));
        for (int i = 0; i < parts.size(); i++) variables.put(PlanNode.BatchFetch.representationsVariable(i), batches.get(i).representations());
        SubgraphCallStage call = request.stage().beginSubgraphCall(node.subgraph(), node.operationName());
        SubgraphResponse answer;
        try {
            answer = client.post(node.subgraph(), url(node.subgraph(), context), node.operation(), node.operationName(), variables,
                    context.subgraphHeaders().forSubgraph(node.subgraph()), context.propagationHeaders(), context.deadlineNanos(),
                    settings.shareSubgraphQueries(), call);
        } catch (SubgraphFailure failure) {
            call.entities(representations);
            call.end(failure);
            synchronized (state) {
                for (int i = 0; i < parts.size(); i++) {
                    if (!batches.get(i).isEmpty()) failEntities(parts.get(i), failure, batches.get(i), entities.get(i), state);
                }
            }
            return;
        }
        call.entities(representations);
        call.end(null);
        Map<String, Object> response = answer.json();
        Map<?, ?> data = response.get("data") instanceof Map<?, ?> d ? d : Map.of();
        List<Map<String, Object>> errors = errorsOf(response);
        List<List<Map<String, Object>>> errorsByPart = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) errorsByPart.add(new ArrayList<>());
        int firstAsked = 0;
        while (batches.get(firstAsked).isEmpty()) firstAsked++;
        for (Map<String, Object> error : errors) {
            int part = partNamed(pathOf(error), parts.size());
            if (part < 0 || batches.get(part).isEmpty()) {
                errorsByPart.get(firstAsked).add(error);
            } else {
                // the part's path as a fetch sent alone would have it: under _entities
                Map<String, Object> underEntities = new LinkedHashMap<>(error);
                List<Object> path = pathOf(error);
                path.set(0, "_entities");
                underEntities.put("path", path);
                errorsByPart.get(part).add(underEntities);
            }
        }
        synchronized (state) {
            for (int i = 0; i < parts.size(); i++) {
                if (batches.get(i).isEmpty()) continue;
                mergeEntities(parts.get(i), answer.call(), batches.get(i), entities.get(i), data.get(PlanNode.BatchFetch.alias(i)),
                        errorsByPart.get(i), errors.isEmpty(), state);
            }
        }
    }

    /**
     * A failed entity fetch: each of its top-level fields gets the failure at the batch's first object; a fetch that
     * asks for no field, only the objects' concrete type (an @interfaceObject's, from the interface's owner), gets it
     * at that object, which cannot be completed without its type. Call under the state's lock.
     */
    private void failEntities(PlanNode.Flatten flatten, SubgraphFailure failure, EntityBatch batch, List<Map<String, Object>> entities,
                              ExecutionState state) {
        PlanNode.Fetch fetch = flatten.fetch();
        List<Object> first = pathOf(Entities.paths(state.data(), flatten.paths()), firstTarget(batch, entities));
        List<String> fields = fetch.topLevelKeys();
        if (fields.isEmpty()) state.addError(failureError(fetch.subgraph(), failure, first));
        for (String field : fields) state.addError(failureError(fetch.subgraph(), failure, append(first, field)));
        int[] slots = batch.slots();
        for (int e = 0; e < slots.length; e++) if (slots[e] >= 0) state.failed(entities.get(e), fields);
    }

    /** The part of a batch whose aliased {@code _entities} field an error's path begins with, or -1. */
    private static int partNamed(List<Object> path, int parts) {
        if (path.isEmpty() || !(path.get(0) instanceof String key)) return -1;
        for (int i = 0; i < parts; i++) if (PlanNode.BatchFetch.alias(i).equals(key)) return i;
        return -1;
    }

    /** The first entity the batch asks for (where a fetch-wide error is reported). */
    private static Map<String, Object> firstTarget(EntityBatch batch, List<Map<String, Object>> entities) {
        int[] slots = batch.slots();
        for (int e = 0; e < slots.length; e++) if (slots[e] >= 0) return entities.get(e);
        return entities.get(0);
    }

    /**
     * The representation of one object: what the fetch's requires selection picks from it, or null when the object is
     * not of a type the fetch is for, a key field is null (a null key must never be sent) or a required field is missing
     * because the fetch that was to bring it failed.
     */
    private Map<String, Object> representation(Map<String, Object> object, PlanNode.Fetch fetch, ExecutionState state) {
        Object typename = object.get("__typename");
        if (!(typename instanceof String type)) return null;
        Map<String, Object> representation = new JsonObject();
        boolean matched = false;
        List<Selection> keys = fetch.keys();
        for (int i = 0, n = keys.size(); i < n; i++) {
            if (keys.get(i) instanceof Selection.Fragment fragment && matches(fragment.typeCondition(), type)) {
                if (!Merging.project(object, fragment.selections(), representation, matches, false)) return null;
                matched = true;
            }
        }
        if (!matched) return null;
        // @requires fields may be null: the subgraph is told so, as it would be by Apollo's router; one a condition
        // left unasked is left out. One missing because the fetch that was to bring it failed leaves the object out:
        // handed a representation without it, a subgraph computes from nothing what it answers (requires-with-fragments
        // with a down: b's requirer2 answered "undefined_requirer2" as data; Apollo Gateway does not ask b). The
        // fields it was to compute stay null, and the failure says why.
        List<Selection> requires = fetch.requires();
        Set<String> failed = state.failedFields(object);
        for (int i = 0, n = requires.size(); i < n; i++) {
            if (requires.get(i) instanceof Selection.Fragment fragment && matches(fragment.typeCondition(), type)) {
                if (!failed.isEmpty() && missingFailed(object, fragment.selections(), failed, type)) return null;
                Merging.project(object, fragment.selections(), representation, matches, true);
            }
        }
        if (fetch.representationTypename() != null) representation.put("__typename", fetch.representationTypename());
        return representation;
    }

    /** Whether {@code fetch} keeps {@code object} back: a field its representation requires is missing for a failed fetch. */
    private boolean keptBack(Map<String, Object> object, PlanNode.Fetch fetch, ExecutionState state) {
        Set<String> failed = state.failedFields(object);
        if (failed.isEmpty() || !(object.get("__typename") instanceof String type)) return false;
        for (Selection selection : fetch.requires()) {
            if (selection instanceof Selection.Fragment fragment && matches(fragment.typeCondition(), type)
                    && missingFailed(object, fragment.selections(), failed, type)) return true;
        }
        return false;
    }

    /** Whether a field of {@code selections} (fragments on the object's type looked into) is missing for a failed fetch. */
    private boolean missingFailed(Map<String, Object> object, List<Selection> selections, Set<String> failed, String type) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> { if (failed.contains(f.responseKey()) && !object.containsKey(f.responseKey())) return true; }
                case Selection.Fragment f -> { if (matches(f.typeCondition(), type) && missingFailed(object, f.selections(), failed, type)) return true; }
            }
        }
        return false;
    }

    private boolean isAbstract(String typename) {
        return relations.isAbstract(typename);
    }

    /** Whether a fragment on {@code condition} (null: no condition) applies to an object whose __typename is given. */
    private boolean matches(String condition, String typename) {
        return condition == null || condition.equals(typename) || relations.isAbstract(condition) && relations.isPossibleType(condition, typename);
    }

    private Map<String, Object> usedVariables(PlanNode.Fetch fetch, Map<String, Object> variables) {
        Map<String, Object> used = new LinkedHashMap<>();
        for (String name : fetch.variableUsages()) if (variables.containsKey(name)) used.put(name, variables.get(name));
        return used;
    }

    private String url(String subgraph, RequestContext context) {
        return routes.url(subgraph, supergraph.subgraphNamed(subgraph).map(Subgraph::url).orElseThrow(), context.cohort());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errorsOf(Map<String, Object> response) {
        if (!(response.get("errors") instanceof List<?> list)) return List.of();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Object e : list) if (e instanceof Map<?, ?> m) errors.add((Map<String, Object>) m);
        return errors;
    }

    /** The response path of an entity (a list of its own, to extend), or an empty one if it is no longer there. */
    private static List<Object> pathOf(Map<Object, List<Object>> paths, Object entity) {
        return new ArrayList<>(paths.getOrDefault(entity, List.of()));
    }

    private static List<Object> pathOf(Map<String, Object> error) {
        return error.get("path") instanceof List<?> path ? new ArrayList<>(path) : List.of();
    }

    private static List<Object> append(List<Object> path, Object key) {
        List<Object> out = new ArrayList<>(path);
        out.add(key);
        return out;
    }

    /**
     * A subgraph's own error, at {@code path} in the client's answer: as the subgraph wrote it when subgraph errors are
     * exposed, else masked; its code (SUBGRAPH_ERROR if none) and the subgraph's name in extensions either way.
     */
    private Map<String, Object> subgraphError(String subgraph, Map<String, Object> error, List<Object> path) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        Object code = GraphQLErrors.code(error);
        Object message = "Subgraph errors redacted";
        if (settings.exposeSubgraphErrors()) {
            message = GraphQLErrors.message(error);
            if (error.get("extensions") instanceof Map<?, ?> ext) ext.forEach((k, v) -> extensions.put(String.valueOf(k), v));
        }
        extensions.putAll(GraphQLErrors.codeAndService(code == null ? "SUBGRAPH_ERROR" : code, subgraph));
        return GraphQLErrors.error(message, path, extensions);
    }

    /** A fetch that got no usable answer: the subgraph's name and the failure's reason and code (never an address). */
    private static Map<String, Object> failureError(String subgraph, SubgraphFailure failure, List<Object> path) {
        return GraphQLErrors.error("subgraph '" + subgraph + "' failed: " + failure.getMessage(), path,
                GraphQLErrors.codeAndService(failure.code(), subgraph));
    }
}
