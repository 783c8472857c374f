package dev.vestibule.router.middleware;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which headers each subgraph receives. Nothing a client sends is forwarded unless a rule says so; rules run in
 * order, those for all subgraphs first, then the subgraph's own: propagate (by name or pattern, optionally renamed,
 * with a default), insert (a fixed value), remove. The verified identity's headers are set last and always win, and
 * hop-by-hop or body headers are never propagated.
 *
 * <p>{@code reserved} are the names an identity mapping can write (the headers of {@code forward_claims}, which API
 * keys' consumers use too): they are the router's alone. A client's copy is never propagated, by name or pattern, nor
 * renamed onto one, whatever the caller: when the request's identity lacks that claim (anonymous, a token without
 * it) the subgraph gets no such header rather than the client's.
 */
public record HeaderRules(List<Rule> all, Map<String, List<Rule>> bySubgraph, Set<String> reserved) {
    public static final HeaderRules NONE = new HeaderRules(List.of(), Map.of());
    private static final Set<String> NEVER_PROPAGATED = Set.of("host", "content-length", "content-type", "accept",
            "accept-encoding", "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authorization", "proxy-authenticate", "expect");

    public HeaderRules {
        all = List.copyOf(all);
        bySubgraph = Map.copyOf(bySubgraph);
        reserved = reserved.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public HeaderRules(List<Rule> all, Map<String, List<Rule>> bySubgraph) {
        this(all, bySubgraph, Set.of());
    }

    /** These rules with {@code names} (any case) reserved as well: computed once, from the config. */
    public HeaderRules reserving(Collection<String> names) {
        Set<String> union = new HashSet<>(reserved);
        union.addAll(names);
        return new HeaderRules(all, bySubgraph, union);
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

    private void apply(List<Rule> rules, Map<String, String> client, Map<String, String> identity, Map<String, String> headers) {
        for (Rule rule : rules) {
            switch (rule) {
                case Propagate p when p.named() != null -> {
                    String target = p.rename() == null ? p.named() : p.rename();
                    if (!writable(target, identity)) continue; // not even its default: the name is the identity's
                    String value = allowed(p.named(), identity) ? client.get(p.named()) : null;
                    if (value == null) value = p.defaultValue();
                    if (value != null) headers.put(target, value);
                }
                case Propagate p -> client.forEach((name, value) -> {
                    if (allowed(name, identity) && p.matching().matches(name)) headers.put(name, value);
                });
                case Insert i when !writable(i.name(), identity) -> { }
                case Insert i -> headers.put(i.name(), i.value());
                case Remove r when r.named() != null -> headers.remove(r.named());
                case Remove r -> headers.keySet().removeIf(name -> r.matching().matches(name));
            }
        }
    }

    /** Whether a client header may be copied: never a hop-by-hop or body header, never an identity header's name. */
    private boolean allowed(String name, Map<String, String> identity) {
        return !NEVER_PROPAGATED.contains(name) && writable(name, identity);
    }

    private boolean writable(String name, Map<String, String> identity) {
        return !reserved.contains(name) && !identity.containsKey(name);
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
