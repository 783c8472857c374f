package dev.vestibule.router.config;

import dev.vestibule.router.http.ServerSettings;
import java.time.Duration;
import java.util.Set;

/** The {@code server} section: slow bodies, connections per client, graceful shutdown, readiness. */
final class ServerSection {
    static final String KEY = "server";

    private ServerSection() {}

    /** @param router the body limit and development mode, which the {@code router} section holds */
    static ServerSettings parse(ConfigNode node, RouterSection router) {
        node.allowOnly(Set.of("body_read_timeout", "max_connections_per_client", "shutdown", "readiness"));
        ConfigNode shutdown = node.get("shutdown").allowOnly(Set.of("delay", "grace_period"));
        ConfigNode readiness = node.get("readiness").allowOnly(Set.of("required_subgraphs", "interval", "timeout"));
        ServerSettings d = ServerSettings.DEFAULTS;
        Duration delay = shutdown.get("delay").duration(d.shutdownDelay());
        if (delay.isNegative()) throw shutdown.get("delay").error("must be zero or more");
        return new ServerSettings(router.maxBodyBytes(), router.devMode(), node.get("body_read_timeout").positiveDuration(d.bodyReadTimeout()),
                (int) node.get("max_connections_per_client").number(d.maxConnectionsPerClient(), 0, 1_000_000),
                delay, shutdown.get("grace_period").positiveDuration(d.shutdownGracePeriod()),
                readiness.get("required_subgraphs").strings(), readiness.get("interval").positiveDuration(d.readinessInterval()),
                readiness.get("timeout").positiveDuration(d.readinessTimeout()), d.explorer());
    }
}
