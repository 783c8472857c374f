package dev.vestibule.router.http;

import dev.vestibule.router.Router;
import dev.vestibule.router.middleware.RateLimiter;
import dev.vestibule.router.subgraph.traffic.SubgraphTraffic;
import dev.vestibule.router.supergraph.Subgraph;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * What /ready answers, as Kubernetes means readiness ("send me traffic"), apart from liveness (/health: the process
 * is alive and serving). The router is ready when a supergraph is loaded, it is not shutting down, and every
 * required dependency answers: Redis when rate limits fail closed (every request is refused without it), and the
 * subgraphs listed in {@code server.readiness.required_subgraphs}.
 *
 * <p>Why subgraphs are not required by default: a dead subgraph costs only the fields it serves (the others are still
 * answered, with errors at its paths), and every router replica sees the same dead subgraph, so taking them all out
 * of the load balancer would turn a partial failure into a total one. An operator who prefers that for a subgraph
 * without which no answer is useful lists it.
 *
 * <p>The checks run on a thread of their own every {@code interval} (only when something is required), never on a
 * request: /ready answers from their last results at once, whatever the router is busy with. A subgraph is probed
 * with {@code query { __typename }}; any HTTP answer below 500 counts as up (a 401 still proves it serves), a 5xx, a
 * refused connection or no answer within {@code timeout} as down. The body names what is down and why, never an
 * address, an exception text or a config value.
 */
final class Readiness implements AutoCloseable {
    private static final byte[] PROBE = "{\"query\":\"query VestibuleReadiness { __typename }\"}".getBytes(StandardCharsets.UTF_8);

    /** One check's outcome; {@code reason} says what is wrong when it is down. */
    record Check(boolean up, String reason) {
        static final Check UP = new Check(true, null);
        static final Check NOT_YET = new Check(false, "not checked yet");
    }

    /** The answer: 200 or 503 and the body. */
    record Report(boolean ready, Map<String, Object> body) {}

    private final Supplier<Router> router;
    private final ServerSettings settings;
    private final RateLimiter rateLimiter;
    private volatile boolean shuttingDown;
    private volatile Check redis = Check.NOT_YET;
    private volatile Map<String, Check> subgraphs = Map.of();
    private final Thread checker;
    private final HttpClient http;
    private final ExecutorService probes;

    Readiness(Supplier<Router> router, ServerSettings settings, RateLimiter rateLimiter) {
        this.router = router;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        boolean checking = rateLimiter.backendRequired() || !settings.requiredSubgraphs().isEmpty();
        this.http = settings.requiredSubgraphs().isEmpty() ? null
                : HttpClient.newBuilder().connectTimeout(settings.readinessTimeout()).version(HttpClient.Version.HTTP_1_1).build();
        this.probes = http == null ? null : Executors.newVirtualThreadPerTaskExecutor();
        this.checker = checking ? Thread.ofVirtual().name("vestibule-readiness").start(this::checkEvery) : null;
    }

    /** From now on /ready says NOT_READY: the router is shutting down (SIGTERM). */
    void shuttingDown() {
        shuttingDown = true;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    Report report() {
        Router current = router.get();
        Map<String, Object> checks = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        checks.put("supergraph", status(Check.UP));
        checks.put("shutdown", shuttingDown ? "DOWN" : "UP");
        if (shuttingDown) reasons.add("the router is shutting down");
        if (rateLimiter.backendRequired()) {
            Check check = redis;
            checks.put("rate_limit_redis", status(check));
            if (!check.up()) reasons.add("Redis (rate limits, which fail closed) " + check.reason());
        }
        Map<String, Check> probed = subgraphs;
        for (Subgraph subgraph : current.supergraph().subgraphs()) {
            if (!settings.requires(subgraph.name())) continue;
            Check check = probed.getOrDefault(subgraph.name(), Check.NOT_YET);
            checks.put("subgraph:" + subgraph.name(), status(check));
            if (!check.up()) reasons.add("subgraph " + subgraph.name() + " (required) " + check.reason());
        }
        for (String name : settings.requiredSubgraphs()) {
            if (!name.equals("*") && current.supergraph().subgraphs().stream().noneMatch(s -> s.name().equals(name))) {
                checks.put("subgraph:" + name, "DOWN");
                reasons.add("subgraph " + name + " (required) is not in the supergraph");
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons.isEmpty() ? "READY" : "NOT_READY");
        if (!reasons.isEmpty()) body.put("reasons", reasons);
        body.put("checks", checks);
        Map<String, Object> traffic = traffic(current.traffic());
        if (!traffic.isEmpty()) body.put("traffic", traffic);
        return new Report(reasons.isEmpty(), body);
    }

    /**
     * Details, not reasons: each subgraph's circuit breaker state, how many of its pool's instances are in (and how many
     * fail their health checks), and its canary's weight and instances. An open
     * breaker or an ejected instance does not make the router unready (every replica sees the same subgraph; see
     * above). Instances are counted, never named by their URL.
     */
    private static Map<String, Object> traffic(SubgraphTraffic traffic) {
        Map<String, Object> out = new LinkedHashMap<>();
        traffic.state().forEach((subgraph, state) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            if (state.circuit() != null) details.put("circuit", state.circuit().name());
            if (!state.instances().isEmpty()) {
                details.put("instances", state.instances().size());
                details.put("instances_in", state.instances().stream().filter(SubgraphTraffic.InstanceState::in).count());
                details.put("instances_unhealthy", state.instances().stream().filter(SubgraphTraffic.InstanceState::unhealthy).count());
            }
            if (!state.canaryInstances().isEmpty()) {
                Map<String, Object> canary = new LinkedHashMap<>();
                canary.put("weight_percent", state.canaryWeightPercent());
                canary.put("instances", state.canaryInstances().size());
                canary.put("instances_in", state.canaryInstances().stream().filter(SubgraphTraffic.InstanceState::in).count());
                details.put("canary", canary);
            }
            if (!details.isEmpty()) out.put(subgraph, details);
        });
        return out;
    }

    private static String status(Check check) {
        return check.up() ? "UP" : "DOWN";
    }

    private void checkEvery() {
        while (!Thread.currentThread().isInterrupted()) {
            checkOnce();
            try {
                Thread.sleep(settings.readinessInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void checkOnce() {
        if (rateLimiter.backendRequired()) {
            redis = rateLimiter.backendReachable() ? Check.UP : new Check(false, "does not answer");
        }
        if (http == null) return;
        Map<String, Future<Check>> running = new LinkedHashMap<>();
        for (Subgraph subgraph : router.get().supergraph().subgraphs()) {
            if (settings.requires(subgraph.name())) running.put(subgraph.name(), probes.submit(() -> probe(subgraph.url())));
        }
        Map<String, Check> results = new LinkedHashMap<>();
        for (Map.Entry<String, Future<Check>> entry : running.entrySet()) {
            try {
                results.put(entry.getKey(), entry.getValue().get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                results.put(entry.getKey(), new Check(false, "could not be probed"));
            }
        }
        subgraphs = Map.copyOf(results);
    }

    private Check probe(String url) {
        Duration timeout = settings.readinessTimeout();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(PROBE)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 500 ? Check.UP : new Check(false, "answered the probe with HTTP " + response.statusCode());
        } catch (HttpTimeoutException e) {
            return new Check(false, "did not answer the probe in time");
        } catch (IOException e) {
            return new Check(false, "cannot be reached (connection failed)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "could not be probed");
        } catch (IllegalArgumentException e) {
            return new Check(false, "has a URL the probe cannot use");
        }
    }

    @Override
    public void close() {
        if (checker != null) checker.interrupt();
        if (probes != null) probes.shutdownNow();
        if (http != null) http.close();
    }
}
