package dev.vestibule.router.subgraph.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow traffic ({@link TrafficPolicy.Shadow}): once the primary answered a query call (HTTP 200), a share of them is
 * sent again to the subgraph's candidate on a virtual thread of its own, through the plain transport (no retries,
 * breaker or pool), and its answer is compared with the primary's and dropped. The client's call returns as soon as
 * the primary answered: a shadow adds no latency, and at most {@code max_in_flight} copies run at once per subgraph
 * (the others are skipped and counted). Mutations (calls that are not idempotent) are never copied.
 *
 * <p>Outermost of the traffic decorators: a shadow copies the call the client's request made, once, whatever the
 * retries below did; and it is below the shared calls, so a call many requests joined is copied once.
 */
final class ShadowTransport implements SubgraphTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubgraphTransport next;
    private final SubgraphTransport plain;
    private final Map<String, TrafficPolicy.Shadow> shadows;
    private final Map<String, Semaphore> inFlight = new LinkedHashMap<>();
    private final TrafficObserver observer;

    ShadowTransport(SubgraphTransport next, SubgraphTransport plain, Map<String, TrafficPolicy.Shadow> shadows, TrafficObserver observer) {
        this.next = next;
        this.plain = plain;
        this.shadows = Map.copyOf(shadows);
        shadows.forEach((subgraph, shadow) -> inFlight.put(subgraph, new Semaphore(shadow.maxInFlight())));
        this.observer = observer;
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException, SubgraphFailure {
        Reply reply = next.send(call);
        TrafficPolicy.Shadow shadow = shadows.get(call.subgraph());
        if (shadow == null || !call.idempotent() || reply.status() != 200
                || ThreadLocalRandom.current().nextDouble(100) >= shadow.percent()) {
            return reply;
        }
        Semaphore bound = inFlight.get(call.subgraph());
        if (!bound.tryAcquire()) {
            observer.shadowSkipped(call.subgraph());
            return reply;
        }
        try {
            Thread.ofVirtual().name("vestibule-shadow-" + call.subgraph()).start(() -> {
                try {
                    compare(call, reply, shadow);
                } finally {
                    bound.release();
                }
            });
        } catch (RuntimeException | OutOfMemoryError e) {
            bound.release();
        }
        return reply;
    }

    private void compare(SubgraphCall call, Reply primary, TrafficPolicy.Shadow shadow) {
        String subgraph = call.subgraph();
        Reply candidate;
        try {
            // the forwarded headers go along (the candidate must see what the primary saw); the trace context does not
            candidate = plain.send(new SubgraphCall(subgraph, shadow.url(), call.body(), call.headers(), Map.of(),
                    System.nanoTime() + shadow.timeout().toNanos(), true));
        } catch (IOException | SubgraphFailure | RuntimeException e) {
            observer.shadowCompared(subgraph, "failed");
            LOG.info("shadow of subgraph {}: the candidate gave no answer ({})", subgraph, e.getClass().getSimpleName());
            return;
        }
        if (candidate.status() != 200) {
            observer.shadowCompared(subgraph, "failed");
            LOG.info("shadow of subgraph {}: the candidate answered HTTP {}", subgraph, candidate.status());
            return;
        }
        String difference;
        try {
            difference = firstDifference(JSON.readTree(primary.body()), JSON.readTree(candidate.body()));
        } catch (IOException | RuntimeException e) {
            observer.shadowCompared(subgraph, "failed");
            LOG.info("shadow of subgraph {}: an answer is not JSON", subgraph);
            return;
        }
        if (difference == null) {
            observer.shadowCompared(subgraph, "same");
        } else {
            observer.shadowCompared(subgraph, "different");
            // the path only: no value of the client's data goes to the log
            LOG.warn("shadow of subgraph {}: the candidate's answer differs from the primary's at {}", subgraph, difference);
        }
    }

    /**
     * The path where two answers first differ ("data.topProducts.0.name"; "" for the whole answer), or null when they
     * are equal as JSON: object keys in any order, numbers by value (1, 1.0 and 1e0 are equal), top-level
     * {@code extensions} ignored (tracing and cost details differ between deployments).
     */
    static String firstDifference(JsonNode primary, JsonNode candidate) {
        return difference("", primary, candidate, true);
    }

    private static String difference(String path, JsonNode a, JsonNode b, boolean top) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0 ? null : path;
        if (a.getNodeType() != b.getNodeType()) return path;
        if (a.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            if (top) names.remove("extensions");
            for (String name : names) {
                String at = path.isEmpty() ? name : path + "." + name;
                if (!a.has(name) || !b.has(name)) return at;
                String inner = difference(at, a.get(name), b.get(name), false);
                if (inner != null) return inner;
            }
            return null;
        }
        if (a.isArray()) {
            Iterator<JsonNode> left = a.elements();
            Iterator<JsonNode> right = b.elements();
            for (int i = 0; left.hasNext() || right.hasNext(); i++) {
                String at = path.isEmpty() ? Integer.toString(i) : path + "." + i;
                if (!left.hasNext() || !right.hasNext()) return at;
                String inner = difference(at, left.next(), right.next(), false);
                if (inner != null) return inner;
            }
            return null;
        }
        return a.equals(b) ? null : path;
    }

    @Override
    public void close() {
        next.close();
    }
}
