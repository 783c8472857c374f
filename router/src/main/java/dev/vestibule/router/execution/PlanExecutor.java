package dev.vestibule.router.execution;

import dev.vestibule.router.json.JsonObject;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.planner.PlanNode;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphClient;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.supergraph.Subgraph;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Runs a query plan: fetches in a Parallel node run concurrently (on virtual threads), Sequence nodes in order.
 * Root fetch results are merged into the response data; entity fetches collect the objects at their path, send one
 * `_entities` call with the de-duplicated representations, and merge each answer back into every object it came
 * from. A failed fetch leaves its fields missing and records errors at their paths; every other fetch still runs.
 */
public final class PlanExecutor {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final SubgraphClient client;
    private final ExecutorService executor;
    private final ExecutionSettings settings;
    // made once: a method reference written at each call allocates a new object per merge and per representation
    private final java.util.function.Predicate<String> isAbstract = this::isAbstract;
    private final java.util.function.BiPredicate<String, String> matches = this::matches;

    public PlanExecutor(Supergraph supergraph, SubgraphClient client, ExecutorService executor, ExecutionSettings settings) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.client = client;
        this.executor = executor;
        this.settings = settings;
    }

    /** Fetches everything the plan asks for into {@code state}. */
    public void execute(QueryPlan plan, Map<String, Object> variables, java.util.function.Function<String, Map<String, String>> headers, ExecutionState state,
                        long deadlineNanos) {
        if (plan.root() != null) run(plan.root(), new Request(variables, headers, deadlineNanos), state);
    }

    /** What every fetch of one request shares. */
    /** {@code headers}: what each subgraph (by name) receives for this request. */
    private record Request(Map<String, Object> variables, java.util.function.Function<String, Map<String, String>> headers, long deadlineNanos) {}

    private void run(PlanNode node, Request request, ExecutionState state) {
        switch (node) {
            case PlanNode.Sequence s -> s.nodes().forEach(n -> run(n, request, state));
            case PlanNode.Parallel p -> runParallel(p.nodes(), request, state);
            case PlanNode.Fetch f -> rootFetch(f, request.variables(), request.headers(), request.deadlineNanos(), state);
            case PlanNode.Flatten f -> entityFetch(f, request.variables(), request.headers(), request.deadlineNanos(), state);
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

    private void rootFetch(PlanNode.Fetch fetch, Map<String, Object> variables, java.util.function.Function<String, Map<String, String>> headers,
                           long deadlineNanos, ExecutionState state) {
        Map<String, Object> response;
        try {
            settings.protection().acquire(fetch.subgraph());
            response = client.post(url(fetch.subgraph()), fetch.operation(), fetch.operationName(),
                    usedVariables(fetch, variables), headers.apply(fetch.subgraph()), deadlineNanos,
                    settings.shareSubgraphQueries() && !fetch.operation().startsWith("mutation"));
        } catch (SubgraphFailure failure) {
            for (String key : fetch.topLevelKeys()) {
                state.addError(failureError(fetch.subgraph(), failure, List.of(key)));
            }
            return;
        }
        synchronized (state) {
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

    private void entityFetch(PlanNode.Flatten flatten, Map<String, Object> variables, java.util.function.Function<String, Map<String, String>> headers,
                             long deadlineNanos, ExecutionState state) {
        PlanNode.Fetch fetch = flatten.fetch();
        List<Map<String, Object>> representations = new ArrayList<>();
        List<List<Map<String, Object>>> targets = new ArrayList<>();
        synchronized (state) {
            List<Map<String, Object>> entities = Entities.collect(state.data(), flatten.path());
            // sized for every entity (no re-bucketing as it grows), one lookup per entity (a representation's hash is
            // computed over its fields on every lookup)
            Map<Map<String, Object>, Integer> index = java.util.HashMap.newHashMap(entities.size());
            for (int e = 0, count = entities.size(); e < count; e++) {
                Map<String, Object> entity = entities.get(e);
                Map<String, Object> representation = representation(entity, fetch);
                if (representation == null) continue;
                Integer at = index.putIfAbsent(representation, representations.size());
                if (at == null) {
                    at = representations.size();
                    representations.add(representation);
                    targets.add(new ArrayList<>());
                }
                targets.get(at).add(entity);
            }
        }
        if (representations.isEmpty()) return;
        Map<String, Object> vars = new LinkedHashMap<>(usedVariables(fetch, variables));
        vars.put("representations", representations);
        Map<String, Object> response;
        try {
            settings.protection().acquire(fetch.subgraph());
            response = client.post(url(fetch.subgraph()), fetch.operation(), fetch.operationName(), vars, headers.apply(fetch.subgraph()), deadlineNanos,
                    settings.shareSubgraphQueries());
        } catch (SubgraphFailure failure) {
            synchronized (state) {
                List<Object> first = pathOf(Entities.paths(state.data(), flatten.path()), targets.get(0).get(0));
                for (String key : fetch.topLevelKeys()) state.addError(failureError(fetch.subgraph(), failure, append(first, key)));
            }
            return;
        }
        synchronized (state) {
            Object entities = response.get("data") instanceof Map<?, ?> data ? data.get("_entities") : null;
            if (entities instanceof List<?> list && list.size() == representations.size()) {
                Merging.Merger merger = Merging.merger(isAbstract, fetch.retypesFields());
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Map<?, ?> result) {
                        List<Map<String, Object>> at = targets.get(i);
                        for (int t = 0, n = at.size(); t < n; t++) merger.merge(at.get(t), result);
                    }
                }
            } else if (errorsOf(response).isEmpty()) {
                state.addError(failureError(fetch.subgraph(), new SubgraphFailure("SUBGRAPH_INVALID_RESPONSE",
                        "_entities did not return one result per representation", null),
                        pathOf(Entities.paths(state.data(), flatten.path()), targets.get(0).get(0))));
            }
            List<Map<String, Object>> errors = errorsOf(response);
            // where the entities are, found once for all of this fetch's errors (none are looked for when it has none)
            Map<Object, List<Object>> paths = errors.isEmpty() ? Map.of() : Entities.paths(state.data(), flatten.path());
            for (Map<String, Object> error : errors) {
                List<Object> path = pathOf(error);
                List<Object> clientPath;
                if (path.size() >= 2 && "_entities".equals(path.get(0)) && path.get(1) instanceof Number n
                        && n.intValue() >= 0 && n.intValue() < targets.size()) {
                    clientPath = pathOf(paths, targets.get(n.intValue()).get(0));
                    clientPath.addAll(path.subList(2, path.size()));
                } else {
                    clientPath = pathOf(paths, targets.get(0).get(0));
                }
                state.addError(subgraphError(fetch.subgraph(), error, clientPath));
            }
        }
    }

    /**
     * The representation of one object: what the fetch's requires selection picks from it, or null when the object is
     * not of a type the fetch is for or a key field is null (a null key must never be sent).
     */
    private Map<String, Object> representation(Map<String, Object> object, PlanNode.Fetch fetch) {
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
        // @requires fields may be null: the subgraph is told so, as it would be by Apollo's router.
        List<Selection> requires = fetch.requires();
        for (int i = 0, n = requires.size(); i < n; i++) {
            if (requires.get(i) instanceof Selection.Fragment fragment && matches(fragment.typeCondition(), type)) {
                Merging.project(object, fragment.selections(), representation, matches, true);
            }
        }
        if (fetch.representationTypename() != null) representation.put("__typename", fetch.representationTypename());
        return representation;
    }

    private boolean isAbstract(String typename) {
        GraphQLType type = schema.getType(typename);
        return type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;
    }

    private boolean matches(String condition, String typename) {
        if (condition == null || condition.equals(typename)) return true;
        GraphQLType type = schema.getType(condition);
        return switch (type) {
            case GraphQLInterfaceType i -> schema.getImplementations(i).stream().anyMatch(o -> o.getName().equals(typename));
            case GraphQLUnionType u -> u.getTypes().stream().anyMatch(t -> t.getName().equals(typename));
            case null, default -> false;
        };
    }

    private Map<String, Object> usedVariables(PlanNode.Fetch fetch, Map<String, Object> variables) {
        Map<String, Object> used = new LinkedHashMap<>();
        for (String name : fetch.variableUsages()) if (variables.containsKey(name)) used.put(name, variables.get(name));
        return used;
    }

    private String url(String subgraph) {
        return supergraph.subgraphNamed(subgraph).map(Subgraph::url).orElseThrow();
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

    private Map<String, Object> subgraphError(String subgraph, Map<String, Object> error, List<Object> path) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> extensions = new LinkedHashMap<>();
        Object code = error.get("extensions") instanceof Map<?, ?> ext ? ext.get("code") : null;
        if (settings.exposeSubgraphErrors()) {
            out.put("message", error.get("message"));
            if (error.get("extensions") instanceof Map<?, ?> ext) ext.forEach((k, v) -> extensions.put(String.valueOf(k), v));
        } else {
            out.put("message", "Subgraph errors redacted");
        }
        if (!path.isEmpty()) out.put("path", path);
        extensions.put("code", code == null ? "SUBGRAPH_ERROR" : code);
        extensions.put("serviceName", subgraph);
        out.put("extensions", extensions);
        return out;
    }

    private static Map<String, Object> failureError(String subgraph, SubgraphFailure failure, List<Object> path) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", "subgraph '" + subgraph + "' failed: " + failure.getMessage());
        if (!path.isEmpty()) out.put("path", path);
        out.put("extensions", Map.of("code", failure.code(), "serviceName", subgraph));
        return out;
    }
}
