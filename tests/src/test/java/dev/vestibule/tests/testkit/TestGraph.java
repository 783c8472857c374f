package dev.vestibule.tests.testkit;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The sample subgraphs on free ports and a router in front of them on the repository's
 * {@code schemas/supergraph.graphql}, its subgraph URLs pointed at those ports (or elsewhere), all over real sockets on
 * 127.0.0.1. Faults are injected per running subgraph ({@code subgraph(name).setFaults(...)}) and cleared by
 * {@link #resetLogsAndFaults}. Built by {@link #builder()}: by default the router runs as {@code serve --config} runs
 * it (a {@link VestibuleServer} made from the config, which owns the edge policy); with an edge policy or a subgraph
 * transport of the test's own, the router and its HTTP server are made directly around them. Closing the graph
 * closes what it made, the subgraphs last.
 */
public final class TestGraph implements AutoCloseable {
    public final SampleSubgraphs.Running subgraphs;
    public final Router router;
    public final RouterServer server;
    public final GraphQLClient client;
    /** The server made from the config; null when the graph was made around the test's own edge policy or transport. */
    private final VestibuleServer vestibule;

    private TestGraph(Builder builder) {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        try {
            Map<String, String> urls = new HashMap<>(subgraphs.urls());
            urls.putAll(builder.elsewhere);
            Supergraph supergraph = SupergraphLoader.load(supergraphSdl(urls::get));
            RouterConfig config = builder.configFor == null ? builder.config : builder.configFor.apply(subgraphs);
            if (builder.policy == null && builder.transport == null) {
                // only the BFF modules the test names, not those on the test class path (bff-mobile, bff-web): most
                // graphs are about GraphQL, and mounted modules would plan their operations at start
                vestibule = VestibuleServer.start(supergraph, config, builder.observer,
                        RouterServer.listen("127.0.0.1", 0), builder.modules);
                router = vestibule.router();
                server = vestibule.httpServer();
            } else {
                vestibule = null;
                if (!builder.modules.isEmpty()) throw new IllegalArgumentException("BFF modules need the router made from the config");
                RouterSettings settings = config.settings();
                router = builder.transport == null ? new Router(supergraph, settings, builder.observer)
                        : new Router(supergraph, settings, builder.transport.apply(supergraph), builder.observer);
                try {
                    server = RouterServer.start(router, settings, config.server(),
                            builder.policy == null ? EdgePolicy.open() : builder.policy, "127.0.0.1", 0);
                } catch (RuntimeException e) {
                    router.close();
                    throw e;
                }
            }
        } catch (RuntimeException | Error e) {
            subgraphs.close();
            throw e;
        }
        client = GraphQLClient.to(server.port());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server made from the config (its port, reload, readiness); fails for a graph around the test's own edge or transport. */
    public VestibuleServer vestibule() {
        if (vestibule == null) throw new IllegalStateException("this graph's router was made around the test's own edge policy or transport");
        return vestibule;
    }

    public SubgraphServer subgraph(String name) {
        return subgraphs.get(name);
    }

    /** Clears every subgraph's request log and faults (between the tests of one class sharing a graph). */
    public void resetLogsAndFaults() {
        subgraphs.servers().forEach(s -> {
            s.requestLog().clear();
            s.setFaults(FaultSettings.NONE);
        });
    }

    /** The requests all subgraphs received since their logs were last cleared. */
    public long totalSubgraphRequests() {
        return subgraphs.servers().stream().mapToLong(s -> s.requestLog().totalCount()).sum();
    }

    /** The repository's sample supergraph with each subgraph's URL replaced by {@code urls}' (the name to the URL). */
    public static String supergraphSdl(Function<String, String> urls) {
        String sdl;
        try {
            sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
        } catch (IOException e) {
            throw new UncheckedIOException("the sample supergraph (schemas/supergraph.graphql) cannot be read", e);
        }
        for (String name : SampleSubgraphs.names()) {
            String url = urls.apply(name);
            if (url == null) continue;
            sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql", url);
        }
        return sdl;
    }

    /**
     * The supergraph Vestibule composes from the sample subgraphs' SDL (schemas/NAME.graphql), each at its running URL,
     * with {@code edits} applied to the SDL of the subgraphs they name (a test adds a directive to a field); fails the
     * test when composition fails.
     */
    public static String composeSamples(SampleSubgraphs.Running subgraphs, Map<String, UnaryOperator<String>> edits) {
        List<SubgraphSource> sources = new ArrayList<>();
        for (String name : SampleSubgraphs.names()) {
            String sdl;
            try {
                sdl = Files.readString(Path.of("..", "schemas", name + ".graphql"));
            } catch (IOException e) {
                throw new UncheckedIOException("the sample subgraph's SDL (schemas/" + name + ".graphql) cannot be read", e);
            }
            sources.add(new SubgraphSource(name, subgraphs.get(name).url(), edits.getOrDefault(name, UnaryOperator.identity()).apply(sdl)));
        }
        CompositionResult composed = Composer.compose(sources);
        if (!(composed instanceof CompositionResult.Composed ok)) throw new AssertionError("the samples do not compose: " + composed);
        return ok.supergraphSdl();
    }

    @Override
    public void close() {
        try {
            if (vestibule != null) {
                vestibule.close();
            } else {
                server.close();
                router.close();
            }
        } finally {
            subgraphs.close();
        }
    }

    /** What the graph is made of; everything has a default (the sample graph behind the default config). */
    public static final class Builder {
        private RouterConfig config = RouterConfig.DEFAULTS;
        private final Map<String, String> elsewhere = new HashMap<>();
        private GatewayObserver observer = GatewayObserver.NONE;
        private EdgePolicy policy;
        private Function<Supergraph, SubgraphTransport> transport;
        private Function<SampleSubgraphs.Running, RouterConfig> configFor;
        private List<BffModule> modules = List.of();

        private Builder() {}

        /** The router's whole config, as {@code serve --config} reads it. */
        public Builder config(RouterConfig config) {
            this.config = config;
            return this;
        }

        /**
         * The router's config made once the subgraphs run (a YAML config that names their URLs); replaces
         * {@link #config}, {@link #settings} and {@link #server}.
         */
        public Builder configFor(Function<SampleSubgraphs.Running, RouterConfig> configFor) {
            this.configFor = configFor;
            return this;
        }

        /** The BFF modules mounted beside /graphql (default none, whatever the class path holds). */
        public Builder bff(List<BffModule> modules) {
            this.modules = List.copyOf(modules);
            return this;
        }

        /** The engine's settings (in the config). */
        public Builder settings(RouterSettings settings) {
            this.config = config.withSettings(settings);
            return this;
        }

        /** The HTTP server's settings (in the config). */
        public Builder server(ServerSettings server) {
            this.config = config.withServer(server);
            return this;
        }

        /** The router asks {@code url} (a test's own server, a closed port) for {@code subgraph}'s fields. */
        public Builder elsewhere(String subgraph, String url) {
            elsewhere.put(subgraph, url);
            return this;
        }

        /** Watches the router's requests (the tests count plan cache hits, joined calls, reused answers). */
        public Builder observer(GatewayObserver observer) {
            this.observer = observer;
            return this;
        }

        /** The edge policy the router runs behind, made (and closed) by the test instead of from the config. */
        public Builder edge(EdgePolicy policy) {
            this.policy = policy;
            return this;
        }

        /** The router's subgraph transport, made by the test for the supergraph (the router closes it). */
        public Builder transport(Function<Supergraph, SubgraphTransport> transport) {
            this.transport = transport;
            return this;
        }

        public TestGraph start() {
            return new TestGraph(this);
        }
    }
}
