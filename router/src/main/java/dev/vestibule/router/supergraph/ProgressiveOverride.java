package dev.vestibule.router.supergraph;

/**
 * A field that moves from one subgraph to another progressively ({@code @override(from:, label:)}, in the supergraph
 * {@code @join__field(overrideLabel:)} on both sides): {@code to} resolves it while {@code label} is active for the
 * request, {@code from} otherwise. A label is {@code percent(N)} (active for N % of the callers, sticky per caller) or a
 * name the config or the caller enables.
 */
public record ProgressiveOverride(String type, String field, String from, String to, String label) {
    /** N of a {@code percent(N)} label; -1 for a named label. */
    public double percent() {
        return percentOf(label);
    }

    /** N of a {@code percent(N)} label; -1 for a named label. */
    public static double percentOf(String label) {
        if (!label.startsWith("percent(") || !label.endsWith(")")) return -1;
        try {
            return Double.parseDouble(label.substring("percent(".length(), label.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
