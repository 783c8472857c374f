package dev.vestibule.router.subgraph;

import dev.vestibule.router.tls.ClientTls;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the router connects to each subgraph (config {@code subgraph_connections}): TLS (the CAs to trust, a client
 * certificate for mutual TLS) and HTTP/2. {@code all} is every subgraph's; {@code subgraphs} holds the subgraphs with
 * settings of their own (already read over {@code all}).
 */
public record SubgraphConnections(Connection all, Map<String, Connection> subgraphs) {
    public static final SubgraphConnections DEFAULTS = new SubgraphConnections(Connection.DEFAULTS, Map.of());

    public SubgraphConnections {
        subgraphs = Map.copyOf(subgraphs);
    }

    /** The settings of subgraph {@code name}. */
    public Connection of(String name) {
        return subgraphs.getOrDefault(name, all);
    }

    /** Whether any subgraph connects otherwise than by default (the transport then makes a client per setting). */
    public boolean isDefault() {
        return all.equals(Connection.DEFAULTS) && subgraphs.values().stream().allMatch(Connection.DEFAULTS::equals);
    }

    /** Names with settings of their own that are not among {@code known}: a typo would silently drop them. */
    public Set<String> unknown(Set<String> known) {
        Set<String> unknown = new LinkedHashSet<>(subgraphs.keySet());
        unknown.removeAll(known);
        return unknown;
    }

    /** HTTP/2 toward a subgraph. */
    public enum Http2 {
        /** Offer h2 and HTTP/1.1 by ALPN over https (the subgraph chooses); HTTP/1.1 over http. */
        NEGOTIATE,
        /** HTTP/1.1 only. */
        DISABLE,
        /** h2 over cleartext without negotiation (h2c with prior knowledge): http:// URLs only, the subgraph must speak it. */
        PRIOR_KNOWLEDGE
    }

    /** @param tls whom to trust over https and which client certificate to present */
    public record Connection(ClientTls tls, Http2 http2) {
        public static final Connection DEFAULTS = new Connection(ClientTls.DEFAULTS, Http2.NEGOTIATE);
    }
}
