package dev.vestibule.router.pipeline;

import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request's trace for the explorer's plan panel (docs/explorer.md): when each stage ran (prepare, plan with its
 * cache hit, execute) and, for each fetch of the plan, when it ran, how many entities it asked for, whether it joined
 * an identical call in flight, the subgraph's HTTP status and the failure's code. Made by the gateway for a request
 * that asks for its plan ({@link RequestContext#exposePlan}), around the request's own observer stage, which it tells
 * everything it is told: the gateway's observer sees the request as it would without the trace.
 *
 * <p>It watches only (the observer rule of docs/architecture.md). Its JSON ({@link #toJson}) holds times relative to
 * the request's start, subgraph names, operation names, counts and error codes: never a subgraph's URL, a header or a
 * failure's message.
 */
public final class RequestTrace implements RequestStage {
    private final RequestStage next;
    private final long start = System.nanoTime();
    private final Span prepare = new Span();
    private final Span plan = new Span();
    private final Span execute = new Span();
    private boolean planCacheHit;
    /** Fetches in the order they began; added from the request's fetch threads. */
    private final List<Fetch> fetches = new ArrayList<>();

    public RequestTrace(RequestStage next) {
        this.next = next;
    }

    /** Begun and ended on the request's thread. */
    private final class Span {
        long began = -1;
        long ended = -1;

        Stage begin(Stage observed) {
            began = System.nanoTime();
            return failure -> {
                ended = System.nanoTime();
                observed.end(failure);
            };
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("startMs", millis(began - start));
            json.put("durationMs", ended < 0 ? null : millis(ended - began));
            return json;
        }
    }

    @Override
    public Stage beginPrepare() {
        return prepare.begin(next.beginPrepare());
    }

    @Override
    public void prepared(PreparedOperation operation) {
        next.prepared(operation);
    }

    @Override
    public Stage beginPlan(boolean cacheHit) {
        planCacheHit = cacheHit;
        return plan.begin(next.beginPlan(cacheHit));
    }

    @Override
    public Stage beginExecute(QueryPlan queryPlan) {
        return execute.begin(next.beginExecute(queryPlan));
    }

    @Override
    public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
        Fetch fetch = new Fetch(subgraph, operationName, next.beginSubgraphCall(subgraph, operationName), System.nanoTime());
        synchronized (fetches) {
            fetches.add(fetch);
        }
        return fetch;
    }

    @Override
    public Stage beginWrite(boolean reusedAnswer) {
        return next.beginWrite(reusedAnswer);
    }

    @Override
    public void error(Map<String, Object> error) {
        next.error(error);
    }

    @Override
    public void end(Throwable failure) {
        next.end(failure);
    }

    /**
     * One fetch: its fields are written by the fetch's thread and read after the execution ended (the executor waits
     * for every fetch, which orders those writes before the read).
     */
    private final class Fetch implements SubgraphCallStage {
        final String subgraph;
        final String operationName;
        final SubgraphCallStage next;
        final long began;
        long ended = -1;
        Join joined;
        int entities = -1;
        int status = -1;
        String error;

        Fetch(String subgraph, String operationName, SubgraphCallStage next, long began) {
            this.subgraph = subgraph;
            this.operationName = operationName;
            this.next = next;
            this.began = began;
        }

        @Override
        public void joined(Join join, SubgraphCallStage leader) {
            joined = join;
            // the observer is told of its own stage of the leader, as it would be without the trace
            next.joined(join, leader instanceof Fetch traced ? traced.next : leader);
        }

        @Override
        public Map<String, String> propagationHeaders(Map<String, String> request) {
            return next.propagationHeaders(request);
        }

        @Override
        public void entities(int representations) {
            entities = representations;
            next.entities(representations);
        }

        @Override
        public void answered(int httpStatus) {
            status = httpStatus;
            next.answered(httpStatus);
        }

        @Override
        public void end(Throwable failure) {
            ended = System.nanoTime();
            if (failure != null) error = failure instanceof SubgraphFailure f ? f.code() : "INTERNAL_SERVER_ERROR";
            next.end(failure);
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("service", subgraph);
            json.put("operationName", operationName);
            json.put("startMs", millis(began - start));
            json.put("durationMs", ended < 0 ? null : millis(ended - began));
            if (entities >= 0) json.put("entities", entities);
            if (joined != null) json.put("joined", joined.name());
            if (status >= 0) json.put("status", status);
            if (error != null) json.put("error", error);
            return json;
        }
    }

    /**
     * The trace so far as JSON (maps, lists, numbers): {@code durationMs} (from the request's start to now),
     * {@code prepare}, {@code plan} (with {@code cacheHit}), {@code execute}, each with {@code startMs} and
     * {@code durationMs}, and {@code fetches} (service, operationName, startMs, durationMs, entities, joined, status,
     * error). Called once the execution ended (while the answer is written).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("durationMs", millis(System.nanoTime() - start));
        if (prepare.began >= 0) json.put("prepare", prepare.toJson());
        if (plan.began >= 0) {
            Map<String, Object> planning = plan.toJson();
            planning.put("cacheHit", planCacheHit);
            json.put("plan", planning);
        }
        if (execute.began >= 0) json.put("execute", execute.toJson());
        List<Map<String, Object>> list = new ArrayList<>();
        synchronized (fetches) {
            for (Fetch fetch : fetches) list.add(fetch.toJson());
        }
        json.put("fetches", list);
        return json;
    }

    /** Milliseconds with microseconds' precision. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
