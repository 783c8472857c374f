package dev.vestibule.samples;

import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import dev.vestibule.samples.subgraphs.AccountsSubgraph;
import dev.vestibule.samples.subgraphs.InventorySubgraph;
import dev.vestibule.samples.subgraphs.MediaSubgraph;
import dev.vestibule.samples.subgraphs.ProductsSubgraph;
import dev.vestibule.samples.subgraphs.ReviewsSubgraph;
import dev.vestibule.samples.subgraphs.SampleSubgraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The sample graph: which subgraphs exist, their default ports, and starting them (alone or all in one JVM). */
public final class SampleSubgraphs {
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_BASE_PORT = 4001;

    /** In port order: accounts 4001, products 4002, inventory 4003, reviews 4004, media 4005. */
    private static final Map<String, Supplier<SampleSubgraph>> SUBGRAPHS = new LinkedHashMap<>();

    static {
        SUBGRAPHS.put("accounts", AccountsSubgraph::new);
        SUBGRAPHS.put("products", ProductsSubgraph::new);
        SUBGRAPHS.put("inventory", InventorySubgraph::new);
        SUBGRAPHS.put("reviews", ReviewsSubgraph::new);
        SUBGRAPHS.put("media", MediaSubgraph::new);
    }

    private SampleSubgraphs() {}

    public static List<String> names() {
        return List.copyOf(SUBGRAPHS.keySet());
    }

    /** A fresh instance (its own in-memory state, e.g. reviews added by mutations). */
    public static Optional<SampleSubgraph> create(String name) {
        return Optional.ofNullable(SUBGRAPHS.get(name)).map(Supplier::get);
    }

    public static int defaultPort(String name, int basePort) {
        int index = names().indexOf(name);
        if (index < 0) throw new IllegalArgumentException(unknownName(name));
        return basePort + index;
    }

    public static String unknownName(String name) {
        return "unknown subgraph '" + name + "' (known: " + String.join(", ", names()) + ")";
    }

    /** Starts one subgraph; port 0 picks a free one. */
    public static SubgraphServer start(String name, int port, FaultSettings faults) {
        SampleSubgraph subgraph = create(name).orElseThrow(() -> new IllegalArgumentException(unknownName(name)));
        return SubgraphServer.start(name, subgraph.graphql(), HOST, port, faults);
    }

    /**
     * Starts every subgraph: on basePort, basePort + 1, ... in {@link #names()} order, or each on a free port when
     * basePort is 0. Stops the ones already started if one cannot start.
     */
    public static Running startAll(int basePort, FaultSettings faults) {
        List<SubgraphServer> started = new ArrayList<>();
        try {
            for (String name : names()) {
                started.add(start(name, basePort == 0 ? 0 : defaultPort(name, basePort), faults));
            }
            return new Running(started);
        } catch (RuntimeException e) {
            started.forEach(SubgraphServer::close);
            throw e;
        }
    }

    /** Every sample subgraph running in this JVM. */
    public record Running(List<SubgraphServer> servers) implements AutoCloseable {
        public Running {
            servers = List.copyOf(servers);
        }

        public SubgraphServer get(String name) {
            return servers.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(unknownName(name)));
        }

        /** name -> GraphQL URL, in port order. */
        public Map<String, String> urls() {
            Map<String, String> urls = new LinkedHashMap<>();
            servers.forEach(s -> urls.put(s.name(), s.url()));
            return urls;
        }

        @Override
        public void close() {
            servers.forEach(SubgraphServer::close);
        }
    }
}
