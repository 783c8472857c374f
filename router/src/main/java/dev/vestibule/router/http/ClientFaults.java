package dev.vestibule.router.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client misbehaviour (aborted or idle request bodies, connections over the per-client limit), counted and logged as
 * one warning line per kind at most every {@link #REPORT_EVERY_NANOS}: anyone can abort uploads, and an ERROR with a
 * stack trace each time let an anonymous client fill the log (docs/performance.md, "Figures behind the code").
 */
public final class ClientFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ClientFaults.class);
    static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    public enum Kind {
        ABORTED_BODY("request bodies aborted by the client (connection closed or reset while sending)"),
        IDLE_BODY("request bodies not sent within server.body_read_timeout (answered 408)"),
        CONNECTION_OVER_LIMIT("connections refused over server.max_connections_per_client");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    /** Per kind, the count at the last warning and when it was written (nanoTime), for the next line's "since". */
    private final Map<Kind, AtomicLong> reported = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicLong> lastReport = new EnumMap<>(Kind.class);

    public ClientFaults() {
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong());
            reported.put(kind, new AtomicLong());
            lastReport.put(kind, new AtomicLong(System.nanoTime() - REPORT_EVERY_NANOS));
        }
    }

    /** Counts one fault of {@code kind} from {@code client}; writes a line when the last one of its kind is old enough. */
    public void record(Kind kind, String client) {
        long total = counts.get(kind).incrementAndGet();
        AtomicLong last = lastReport.get(kind);
        long then = last.get();
        long now = System.nanoTime();
        // one thread wins the slot; the others only count
        if (now - then >= REPORT_EVERY_NANOS && last.compareAndSet(then, now)) {
            long since = total - reported.get(kind).getAndSet(total);
            LOG.warn("{}: {} in the last {} s, {} since the start (the latest from {})", kind.description, since,
                    Math.min((now - then) / 1_000_000_000L, 3600), total, client);
        }
    }

    /** How many faults of {@code kind} have been seen since the start (tests, metrics). */
    public long count(Kind kind) {
        return counts.get(kind).get();
    }
}
