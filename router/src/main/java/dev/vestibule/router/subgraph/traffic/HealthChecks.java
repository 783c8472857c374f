package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Active health checks ({@link TrafficPolicy.HealthCheck}) of the pools that ask for them: one virtual thread per
 * instance sends the probe every interval through the plain transport (below retries, breakers and pools: a probe is
 * never retried, never counted by a breaker and never balanced), and tells the pool when an instance crossed a
 * threshold. Started with the router's transport and stopped when it closes.
 */
final class HealthChecks implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    HealthChecks(SubgraphTransport transport, Iterable<InstancePool> pools) {
        for (InstancePool pool : pools) {
            TrafficPolicy.HealthCheck health = pool.health();
            if (!health.enabled()) continue;
            byte[] body = ("{\"query\":" + quote(health.query()) + "}").getBytes(StandardCharsets.UTF_8);
            for (InstancePool.Instance instance : pool.instances()) {
                String url = probeUrl(instance.url, health.path());
                threads.add(Thread.ofVirtual().name("vestibule-health-" + pool.subgraph() + "-" + instance.number)
                        .start(() -> probeEvery(transport, pool, instance, url, body)));
            }
        }
    }

    private void probeEvery(SubgraphTransport transport, InstancePool pool, InstancePool.Instance instance, String url, byte[] body) {
        TrafficPolicy.HealthCheck health = pool.health();
        int passes = 0;
        int failures = 0;
        while (!closed) {
            String failure = probe(transport, pool.subgraph(), url, body, health);
            if (failure == null) {
                failures = 0;
                if (++passes >= health.healthyThreshold()) pool.healthy(instance);
            } else {
                passes = 0;
                if (++failures >= health.unhealthyThreshold()) pool.unhealthy(instance, failure);
            }
            try {
                Thread.sleep(health.interval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Null when the probe passed, else why it failed (for the log: never an exception text of the client's). */
    private static String probe(SubgraphTransport transport, String subgraph, String url, byte[] body, TrafficPolicy.HealthCheck health) {
        try {
            SubgraphTransport.Reply reply = transport.send(new SubgraphCall(subgraph, url, body, Map.of(), Map.of(),
                    System.nanoTime() + health.timeout().toNanos(), true));
            return reply.status() >= 200 && reply.status() < 300 ? null : "HTTP " + reply.status();
        } catch (InterruptedIOException e) {
            return "no answer in time";
        } catch (IOException e) {
            return "connection failed";
        } catch (SubgraphFailure e) {
            return e.code();
        } catch (RuntimeException e) {
            return "probe failed";
        }
    }

    /** The instance's URL, or {@code path} on its scheme, host and port. */
    static String probeUrl(String instanceUrl, String path) {
        if (path == null) return instanceUrl;
        try {
            URI uri = new URI(instanceUrl);
            return new URI(uri.getScheme(), uri.getRawAuthority(), null, null, null) + path;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("instance URL " + instanceUrl + " is not a URL", e);
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}
