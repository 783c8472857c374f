package dev.vestibule.router.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hard cap on one label's distinct values: the first {@code max} values seen are recorded as they are, any later
 * one as {@link #OVERFLOW}, and each such replacement is counted (vestibule_telemetry_label_overflows_total). Client-
 * chosen values (operation names, client names) would otherwise grow the metrics without bound.
 */
final class LabelCap {
    static final String OVERFLOW = "_overflow";

    private final String label;
    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final Counter overflows;

    LabelCap(String label, int max, Counter overflows) {
        this.label = label;
        this.max = max;
        this.overflows = overflows;
    }

    /** The value to record for {@code value} (null and empty are recorded as empty, which never counts). */
    String admit(String value) {
        if (value == null || value.isEmpty()) return "";
        if (admitted.contains(value)) return value;
        // only values not admitted yet take the lock: the cap holds exactly, however many requests race
        synchronized (this) {
            if (admitted.contains(value)) return value;
            if (admitted.size() < max) {
                admitted.add(value);
                return value;
            }
        }
        overflows.labelValues(label).inc();
        return OVERFLOW;
    }
}
