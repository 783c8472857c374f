package dev.vestibule.router.middleware;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which headers each subgraph receives. Nothing a client sends is forwarded unless a rule says so; rules run in
 * order, those for all subgraphs first, then the subgraph's own: propagate (by name or pattern, optionally renamed,
 * with a default), insert (a fixed value), remove. The verified identity's headers are set last and always win, and
 * hop-by-hop or body headers are never propagated.
 */
public record HeaderRules(List<Rule> all, Map<String, List<Rule>> bySubgraph) {
    public static final HeaderRules NONE = new HeaderRules(List.of(), Map.of());
    private static final Set<String> NEVER_PROPAGATED = Set.of("host", "content-length", "content-type", "accept",
            "accept-encoding", "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authorization", "proxy-authenticate", "expect");

    public HeaderRules {
        all = List.copyOf(all);
        bySubgraph = Map.copyOf(bySubgraph);
    }

    public sealed interface Rule {}

    /** Copy a client header (by exact name, or every header matching {@code pattern}), renamed and defaulted if asked. */
    public record Propagate(String named, HeaderNamePattern matching, String rename, String defaultValue) implements Rule {}

    public record Insert(String name, String value) implements Rule {}

    public record Remove(String named, HeaderNamePattern matching) implements Rule {}

    public boolean isEmpty() {
        return all.isEmpty() && bySubgraph.isEmpty();
    }

    /**
     * The headers for one subgraph, from the client's headers (lower-case names) and the identity's; client headers
     * named like identity headers never pass, whatever the rules say.
     */
    public Map<String, String> forSubgraph(String subgraph, Map<String, String> client, Map<String, String> identity) {
        Map<String, String> headers = new LinkedHashMap<>();
        apply(all, client, identity, headers);
        apply(bySubgraph.getOrDefault(subgraph, List.of()), client, identity, headers);
        headers.putAll(identity);
        return headers;
    }

    private static void apply(List<Rule> rules, Map<String, String> client, Map<String, String> identity, Map<String, String> headers) {
        for (Rule rule : rules) {
            switch (rule) {
                case Propagate p when p.named() != null -> {
                    String value = allowed(p.named(), identity) ? client.get(p.named()) : null;
                    if (value == null) value = p.defaultValue();
                    if (value != null) headers.put(p.rename() == null ? p.named() : p.rename(), value);
                }
                case Propagate p -> client.forEach((name, value) -> {
                    if (allowed(name, identity) && p.matching().matches(name)) headers.put(name, value);
                });
                case Insert i -> headers.put(i.name(), i.value());
                case Remove r when r.named() != null -> headers.remove(r.named());
                case Remove r -> headers.keySet().removeIf(name -> r.matching().matches(name));
            }
        }
    }

    private static boolean allowed(String name, Map<String, String> identity) {
        return !NEVER_PROPAGATED.contains(name) && !identity.containsKey(name);
    }

    /** Lower-cases header names once, for matching. */
    public static Map<String, String> lowerCased(Map<String, String> headers) {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        return lower;
    }

    static Function<String, Map<String, String>> constant(Map<String, String> headers) {
        return subgraph -> headers;
    }
}
