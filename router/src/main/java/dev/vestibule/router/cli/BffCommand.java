package dev.vestibule.router.cli;

import dev.vestibule.router.bff.BffHost;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.bff.StandaloneBff;
import dev.vestibule.router.cli.RouterCli.UsageException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.middleware.PersistedQueries;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code bff CLIENT --router URL [--port N] [--host H] [--config FILE] [--client-header NAME]}: one BFF module found on
 * the class path, served as its own process (standalone mode), its operations sent to the router at URL by persisted
 * id. Runs until SIGTERM or SIGINT.
 */
final class BffCommand {
    static final String SUMMARY = "bff CLIENT --router URL [--port N] [--host H] [--config router.yaml] [--client-header NAME]:"
            + " serve a BFF module (its jar on the class path) as its own process, its operations sent to the router at URL"
            + " (http://host:4000, or its /graphql) by persisted id; --config: the edge sections (authentication, rate_limits,"
            + " cors, csrf, server) of the BFF's own process, in the router's format";

    private BffCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || args.get(0).startsWith("-")) throw new UsageException("bff needs the CLIENT to serve (a BFF module's client name, e.g. mobile)");
        String client = args.get(0);
        Map<String, String> options = RouterCli.options(args.subList(1, args.size()), List.of("--router", "--port", "--host", "--config", "--client-header"));
        URI router = routerUri(RouterCli.required(options, "--router"));
        int port = RouterCli.intOption(options, "--port", 4100);
        String host = options.getOrDefault("--host", "127.0.0.1");
        RouterConfig config = options.containsKey("--config") ? RouterConfig.load(Path.of(options.get("--config"))) : RouterConfig.DEFAULTS;
        List<BffModule> found = BffHost.discover(BffCommand.class.getClassLoader());
        BffModule module = found.stream().filter(m -> m.client().equals(client)).findFirst().orElseThrow(() -> new UsageException(
                "no BFF module '" + client + "' is on the class path (found: " + (found.isEmpty() ? "none"
                        : String.join(", ", found.stream().map(BffModule::client).toList())) + "); put its jar on the class path"));
        RouterCli.Termination termination = RouterCli.Termination.install();
        try (StandaloneBff bff = StandaloneBff.start(List.of(module), router, options.getOrDefault("--client-header", PersistedQueries.CLIENT_HEADER),
                config, host, port)) {
            out.println("vestibule: BFF '" + client + "' (standalone) listening on http://" + host + ":" + bff.port() + module.prefix()
                    + " (OpenAPI: " + module.prefix() + "/openapi.json), operations sent to " + router);
            out.flush();
            termination.await();
        } finally {
            termination.finished();
        }
        return 0;
    }

    /** The router's GraphQL endpoint: URL as given when it names a path, else URL/graphql. */
    private static URI routerUri(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--router needs a URL such as http://127.0.0.1:4000, got '" + text + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("--router needs an http(s) URL such as http://127.0.0.1:4000, got '" + text + "'");
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/") ? "/graphql" : uri.getPath();
        return uri.resolve(path);
    }
}
