package dev.vestibule.router.cli;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphException;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.router.supergraph.SupergraphReloader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The router's command line. Commands are rows of {@link #COMMANDS}: a name, a one-line summary and the method that
 * runs it. Bad input gets one line on stderr and exit code 2; no stack traces.
 */
public final class RouterCli {
    static final int EXIT_USAGE = 2;

    interface Command {
        int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
    }

    record CommandRow(String name, String summary, Command command) {}

    static final List<CommandRow> COMMANDS = List.of(
            new CommandRow("serve", "serve --supergraph FILE | --subgraphs subgraphs.yaml [--port N] [--host H] [--dev true]"
                    + " [--hot-reload true] [--config router.yaml]: serve GraphQL on /graphql (--subgraphs: compose at start; --hot-reload: reload"
                    + " when the files change, keeping the old supergraph if the new one is broken)"
                    + " (--dev: the header x-vestibule-query-plan: true returns the plan in extensions)", RouterCli::serve),
            new CommandRow("plan", "plan --supergraph FILE --query FILE [--operation-name NAME] [--json]: print the query plan", RouterCli::plan),
            new CommandRow("compose", ComposeCommand.SUMMARY, ComposeCommand::run),
            new CommandRow("token", TokenCommand.SUMMARY, TokenCommand::run));

    private RouterCli() {}

    public static void main(String[] args) {
        int exit = run(args, System.out, System.err);
        if (exit != 0) System.exit(exit);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("help")) {
            (rest.isEmpty() ? err : out).println("usage: router COMMAND [OPTIONS]");
            COMMANDS.forEach(c -> (rest.isEmpty() ? err : out).println("  " + c.summary()));
            return rest.isEmpty() ? EXIT_USAGE : 0;
        }
        String name = rest.remove(0);
        CommandRow row = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (row == null) {
            err.println("error: unknown command '" + name + "' (commands: "
                    + String.join(", ", COMMANDS.stream().map(CommandRow::name).toList()) + ")");
            return EXIT_USAGE;
        }
        if (rest.contains("--help")) {
            out.println("usage: router " + row.summary());
            return 0;
        }
        try {
            return row.command().run(rest, out, err);
        } catch (UsageException | SupergraphException | dev.vestibule.router.config.ConfigException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    private static int serve(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> options = options(args, List.of("--supergraph", "--subgraphs", "--config", "--port", "--host", "--dev", "--hot-reload"));
        boolean composing = options.containsKey("--subgraphs") && !options.containsKey("--supergraph");
        long loading = System.nanoTime();
        String sdl = composing ? null : read(required(options, "--supergraph"), "--supergraph");
        int port = intOption(options, "--port", 4000);
        String host = options.getOrDefault("--host", "127.0.0.1");
        // bound before the work of starting: connections made meanwhile wait in the accept queue (RouterServer.listen)
        ServerSocketChannel socket = RouterServer.listen(host, port);
        RouterServer server;
        Supergraph supergraph;
        RouterSettings settings;
        dev.vestibule.router.config.RouterConfig config;
        Router router;
        long loaded, routing, listening;
        try {
            supergraph = composing ? composeSupergraph(options.get("--subgraphs"), err) : SupergraphLoader.load(sdl);
            config = options.containsKey("--config")
                    ? dev.vestibule.router.config.RouterConfig.load(Path.of(options.get("--config")))
                    : dev.vestibule.router.config.RouterConfig.DEFAULTS;
            // a @policy the config does not define denies its fields to everyone: said now, or refused (unknown_policies)
            config.authorization().check(supergraph);
            settings = options.containsKey("--dev")
                    ? config.settings().withDevMode(Boolean.parseBoolean(options.get("--dev"))) : config.settings();
            loaded = System.nanoTime();
            router = new Router(supergraph, settings);
            routing = System.nanoTime();
            server = RouterServer.start(router, settings, config.edgePolicy(), socket);
            listening = System.nanoTime();
        } catch (Exception | Error e) {
            // clients queued on the socket are refused now, not left waiting for a router that is not coming
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        // where start-up time goes, for operators and for the start-up figure of docs/performance.md
        out.println("vestibule router listening on http://" + host + ":" + server.port() + "/graphql ("
                + supergraph.subgraphs().size() + " subgraphs; supergraph " + millis(loaded - loading) + " ms, router "
                + millis(routing - loaded) + " ms, HTTP server " + millis(listening - routing) + " ms, "
                + sinceProcessStart() + " ms since the process started)");
        out.flush();
        SupergraphReloader reloader = Boolean.parseBoolean(options.getOrDefault("--hot-reload", "false"))
                ? hotReload(server, settings, composing ? options.get("--subgraphs") : options.get("--supergraph"), composing, out, err,
                        config.authorization())
                : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (reloader != null) reloader.close();
            server.close();
            router.close();
            stopped.countDown();
        }, "router-shutdown"));
        stopped.await();
        return 0;
    }

    private static int plan(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        boolean json = args.remove("--json");
        Map<String, String> options = options(args, List.of("--supergraph", "--query", "--operation-name"));
        Supergraph supergraph = loadSupergraph(required(options, "--supergraph"));
        String query = read(required(options, "--query"), "--query");
        try (Router router = new Router(supergraph, RouterSettings.DEFAULTS)) {
            Router.Prepared prepared = router.prepare(new GraphQLRequest(query, options.get("--operation-name"), Map.of(), Map.of()), null);
            out.println(json ? new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(dev.vestibule.router.planner.PlanJson.of(prepared.plan())) : prepared.plan());
            return 0;
        } catch (RequestError e) {
            err.println("error: " + e.errors());
            return 1;
        }
    }

    /**
     * Watches where the supergraph comes from and swaps in a new router when it changes; a broken change is reported
     * and the running router keeps serving. The previous router is closed once its requests can no longer be running.
     */
    static SupergraphReloader hotReload(RouterServer server, RouterSettings settings, String source, boolean composing,
                                        PrintStream out, PrintStream err) {
        return hotReload(server, settings, source, composing, out, err, dev.vestibule.router.middleware.AuthorizationPolicies.NONE);
    }

    /** As above; each new supergraph is checked against the configured policies first (it may be refused). */
    static SupergraphReloader hotReload(RouterServer server, RouterSettings settings, String source, boolean composing,
                                        PrintStream out, PrintStream err, dev.vestibule.router.middleware.AuthorizationPolicies authorization) {
        List<Path> watched = new ArrayList<>(List.of(Path.of(source)));
        if (composing) {
            ComposeCommand.sources(source, List.of()).stream().map(s -> Path.of(s.origin())).filter(Files::isRegularFile)
                    .forEach(watched::add);
        }
        SupergraphReloader.Loader loader = composing ? () -> composeSupergraph(source, err) : () -> loadSupergraph(source);
        return new SupergraphReloader(watched, loader, next -> {
            authorization.check(next);
            Router previous = server.replaceRouter(new Router(next, settings));
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(settings.requestTimeout().toMillis());
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                previous.close();
            });
            out.println("reloaded the supergraph from " + source + " (" + next.subgraphs().size() + " subgraphs)");
        }, reason -> err.println("reload of " + source + " failed, still serving the previous supergraph: " + reason))
                .start(java.time.Duration.ofSeconds(1));
    }

    /** Composes the subgraphs a config lists; a composition error stops the start with the errors on stderr. */
    private static Supergraph composeSupergraph(String config, PrintStream err) {
        var result = dev.vestibule.router.composition.Composer.compose(ComposeCommand.sources(config, List.of()));
        result.hints().forEach(h -> err.println(h.describe()));
        if (result instanceof dev.vestibule.router.composition.CompositionResult.Failed failed) {
            err.print(failed.describe());
            throw new IllegalStateException("--subgraphs " + config + ": composition failed with " + failed.errors().size() + " error(s)");
        }
        return SupergraphLoader.load(((dev.vestibule.router.composition.CompositionResult.Composed) result).supergraphSdl());
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static String sinceProcessStart() {
        long age = processAgeMillis();
        return age >= 0 ? String.valueOf(age) : "?";
    }

    /**
     * How long ago this process started, in ms; -1 when unknown. On Linux from /proc, to 10 ms: the process's start in
     * clock ticks since boot (/proc/self/stat) against the time since boot (/proc/uptime). ProcessHandle's start
     * instant adds the boot time, which Linux gives in whole seconds, so its figure was off by up to a second.
     */
    static long processAgeMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name in parentheses may hold spaces: count fields after its closing one (field 3 is the state)
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            String uptime = Files.readString(Path.of("/proc/uptime"));
            double sinceBootSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            long age = Math.round(sinceBootSeconds * 1000) - startTicks * 1000 / USER_HZ;
            if (age >= 0) return age;
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: the coarser figure below
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> java.time.Duration.between(start, java.time.Instant.now()).toMillis()).orElse(-1L);
    }

    /** Clock ticks per second in /proc: 100 on every architecture Linux runs the JDK on (USER_HZ). */
    private static final long USER_HZ = 100;

    static Supergraph loadSupergraph(String file) {
        return SupergraphLoader.load(read(file, "--supergraph"));
    }

    private static String read(String file, String option) {
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private static Map<String, String> options(List<String> args, List<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (!known.contains(flag)) throw new UsageException("unknown option " + flag + " (options: " + String.join(", ", known) + ")");
            if (i + 1 >= args.size()) throw new UsageException(flag + " needs a value");
            options.put(flag, args.get(++i));
        }
        return options;
    }

    private static String required(Map<String, String> options, String flag) {
        String value = options.get(flag);
        if (value == null) throw new UsageException(flag + " is required");
        return value;
    }

    private static int intOption(Map<String, String> options, String flag, int defaultValue) {
        String value = options.get(flag);
        if (value == null) return defaultValue;
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > 65_535) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a port number (0-65535), got '" + value + "'");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
