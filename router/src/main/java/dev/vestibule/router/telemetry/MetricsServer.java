package dev.vestibule.router.telemetry;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The metrics on a port of their own (telemetry.metrics.listen): a small Jetty server that serves nothing else. */
final class MetricsServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private MetricsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static MetricsServer start(TelemetrySettings.Metrics settings, RouterMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("vestibule-metrics");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(settings.listenHost());
        connector.setPort(settings.listenPort());
        server.addConnector(connector);
        server.setHandler(new MetricsHandler(settings.path(), metrics, null));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            throw new IllegalStateException("telemetry.metrics.listen: cannot serve metrics on " + settings.listenHost() + ":"
                    + settings.listenPort() + ": " + e.getMessage(), e);
        }
        return new MetricsServer(server, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
