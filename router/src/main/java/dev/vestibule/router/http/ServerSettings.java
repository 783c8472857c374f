package dev.vestibule.router.http;

import java.time.Duration;
import java.util.List;

/**
 * How the HTTP server treats connections, slow clients, shutdown and readiness (the {@code server} section of the
 * config; docs/configuration.md).
 *
 * @param bodyReadTimeout         the most a request body may take to arrive, from the request's headers on; then 408
 * @param maxConnectionsPerClient open connections one remote address may hold (0: no limit); more are closed at once
 * @param shutdownDelay           after SIGTERM, how long the listener keeps serving with /ready answering 503, so that
 *                                load balancers stop sending before the router stops accepting
 * @param shutdownGracePeriod     then, how long requests in flight may take to finish before the router exits anyway
 * @param requiredSubgraphs       subgraphs that must answer a probe for /ready to say READY ({@code *}: every one)
 * @param readinessInterval       how often the readiness checks (subgraph probes, the rate limit's Redis) run
 * @param readinessTimeout        the most one readiness check may take before its dependency counts as down
 */
public record ServerSettings(Duration bodyReadTimeout, int maxConnectionsPerClient, Duration shutdownDelay,
                             Duration shutdownGracePeriod, List<String> requiredSubgraphs, Duration readinessInterval,
                             Duration readinessTimeout) {
    public static final ServerSettings DEFAULTS = new ServerSettings(Duration.ofSeconds(10), 0, Duration.ofSeconds(5),
            Duration.ofSeconds(20), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(2));

    public ServerSettings {
        requiredSubgraphs = List.copyOf(requiredSubgraphs);
    }

    /** Whether subgraph {@code name} must be up for the router to be ready. */
    boolean requires(String subgraph) {
        return requiredSubgraphs.contains("*") || requiredSubgraphs.contains(subgraph);
    }

    public ServerSettings withShutdown(Duration delay, Duration gracePeriod) {
        return new ServerSettings(bodyReadTimeout, maxConnectionsPerClient, delay, gracePeriod, requiredSubgraphs,
                readinessInterval, readinessTimeout);
    }

    public ServerSettings withBodyReadTimeout(Duration timeout) {
        return new ServerSettings(timeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod, requiredSubgraphs,
                readinessInterval, readinessTimeout);
    }

    public ServerSettings withMaxConnectionsPerClient(int connections) {
        return new ServerSettings(bodyReadTimeout, connections, shutdownDelay, shutdownGracePeriod, requiredSubgraphs,
                readinessInterval, readinessTimeout);
    }

    public ServerSettings withReadiness(List<String> required, Duration interval, Duration timeout) {
        return new ServerSettings(bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod, required,
                interval, timeout);
    }
}
