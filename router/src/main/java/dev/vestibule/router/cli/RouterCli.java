package dev.vestibule.router.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Gateway;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.planner.PlanJson;
import dev.vestibule.router.server.VestibuleServer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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
                    + " (--dev: the explorer page on / and, with the header x-vestibule-query-plan: true, the plan and trace in extensions)", RouterCli::serve),
            new CommandRow("plan", "plan --supergraph FILE --query FILE [--operation-name NAME] [--json]: print the query plan", RouterCli::plan),
            new CommandRow("compose", ComposeCommand.SUMMARY, ComposeCommand::run),
            new CommandRow("token", TokenCommand.SUMMARY, TokenCommand::run),
            new CommandRow("check", CheckCommand.SUMMARY, CheckCommand::run),
            new CommandRow("bff", BffCommand.SUMMARY, BffCommand::run));

    private RouterCli() {}

    public static void main(String[] args) {
        // exit explicitly: after a graceful shutdown, client libraries' non-daemon threads must not keep the JVM alive
        System.exit(run(args, System.out, System.err));
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
        } catch (UsageException | SupergraphException | ConfigException e) {
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
        Supergraph supergraph;
        RouterConfig config;
        VestibuleServer server;
        long loaded;
        try {
            supergraph = composing ? composeSupergraph(options.get("--subgraphs"), err) : SupergraphLoader.load(sdl);
            config = options.containsKey("--config") ? RouterConfig.load(Path.of(options.get("--config"))) : RouterConfig.DEFAULTS;
            if (options.containsKey("--dev")) config = config.withDevMode(Boolean.parseBoolean(options.get("--dev")));
            loaded = System.nanoTime();
        } catch (Exception | Error e) {
            // clients queued on the socket are refused now, not left waiting for a router that is not coming
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        server = VestibuleServer.start(supergraph, config, socket); // closes the socket when it cannot start
        // where start-up time goes, for operators and for the start-up figure of docs/performance.md
        out.println("vestibule router listening on http://" + host + ":" + server.port() + "/graphql ("
                + supergraph.subgraphs().size() + " subgraphs; supergraph " + millis(loaded - loading) + " ms, router "
                + millis(server.routerReadyNanos() - loaded) + " ms, HTTP server " + millis(server.listeningNanos() - server.routerReadyNanos())
                + " ms, " + sinceProcessStart() + " ms since the process started)");
        if (config.server().explorerEnabled()) {
            out.println("explorer (GraphiQL with the query plan panel): http://" + host + ":" + server.port() + "/");
        }
        out.flush();
        if (Boolean.parseBoolean(options.getOrDefault("--hot-reload", "false"))) {
            hotReload(server, composing ? options.get("--subgraphs") : options.get("--supergraph"), composing, out, err);
            if (options.containsKey("--config")) {
                Path configFile = Path.of(options.get("--config"));
                server.reshapeTrafficOnChange(configFile, () -> RouterConfig.load(configFile), Duration.ofSeconds(1), out::println,
                        err::println);
            }
        }
        Termination termination = Termination.install();
        String signal = termination.await();
        ServerSettings serving = config.server();
        // Ctrl-C at a terminal has no load balancer to wait for: only SIGTERM (what orchestrators send) keeps serving for the delay
        Duration delay = signal.equals("TERM") ? serving.shutdownDelay() : Duration.ZERO;
        out.println("vestibule router shutting down (SIG" + signal + "): /ready answers 503; serving for "
                + delay.toMillis() + " ms more, then finishing requests in flight for at most "
                + serving.shutdownGracePeriod().toMillis() + " ms (a second signal stops at once)");
        out.flush();
        try {
            long unfinished = server.shutDownGracefully(delay, serving.shutdownGracePeriod());
            if (unfinished > 0) {
                err.println("vestibule router stopped with " + unfinished + " request(s) still running after the grace period"
                        + " (server.shutdown.grace_period)");
                return 1;
            }
            out.println("vestibule router stopped: every request in flight was answered");
            out.flush();
            return 0;
        } finally {
            termination.finished();
        }
    }

    /**
     * SIGTERM and SIGINT start a graceful shutdown, which ends with exit code 0 when every request in flight was
     * answered (the JVM's own handling runs the shutdown hooks and exits 143 whatever happened); a second signal stops
     * the process at once, for an operator out of patience. Where the signals cannot be handled (a JVM run with -Xrs),
     * a shutdown hook starts the same shutdown and holds the JVM until it is done.
     */
    static final class Termination {
        private final CountDownLatch received = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);
        private final AtomicReference<String> signal = new AtomicReference<>();

        static Termination install() {
            Termination termination = new Termination();
            SignalHandler handler = s -> {
                if (termination.signal.compareAndSet(null, s.getName())) termination.received.countDown();
                else Runtime.getRuntime().halt(128 + s.getNumber());
            };
            try {
                Signal.handle(new Signal("TERM"), handler);
                Signal.handle(new Signal("INT"), handler);
            } catch (IllegalArgumentException e) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    termination.signal.compareAndSet(null, "TERM");
                    termination.received.countDown();
                    try {
                        termination.finished.await(); // the JVM exits when the hooks end
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }, "router-shutdown"));
            }
            return termination;
        }

        /** Blocks until the first signal; its name (TERM, INT). */
        String await() throws InterruptedException {
            received.await();
            return signal.get();
        }

        void finished() {
            finished.countDown();
        }
    }

    private static int plan(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        boolean json = args.remove("--json");
        Map<String, String> options = options(args, List.of("--supergraph", "--query", "--operation-name"));
        Supergraph supergraph = loadSupergraph(required(options, "--supergraph"));
        String query = read(required(options, "--query"), "--query");
        try (Gateway gateway = new Router(supergraph, RouterSettings.DEFAULTS)) {
            Gateway.Prepared prepared = gateway.prepare(new GraphQLRequest(query, options.get("--operation-name"), Map.of(), Map.of()), null);
            out.println(json ? new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(PlanJson.of(prepared.plan()))
                    : prepared.plan());
            return 0;
        } catch (RequestError e) {
            err.println("error: " + e.errors());
            return 1;
        }
    }

    /**
     * Watches where the supergraph comes from (the supergraph file, or the subgraphs config and its schema files) and
     * has the server swap in a new router when it changes; a broken change is reported and the running router keeps
     * serving.
     */
    static void hotReload(VestibuleServer server, String source, boolean composing, PrintStream out, PrintStream err) {
        List<Path> watched = new ArrayList<>(List.of(Path.of(source)));
        if (composing) {
            ComposeCommand.sources(source, List.of()).stream().map(s -> Path.of(s.origin())).filter(Files::isRegularFile)
                    .forEach(watched::add);
        }
        SupergraphReloader.Loader load = composing ? () -> composeSupergraph(source, err) : () -> loadSupergraph(source);
        // one reload at a time (the reloader's one thread): when the last load began and ended, for the message below
        long[] loading = new long[2];
        SupergraphReloader.Loader timed = () -> {
            loading[0] = System.nanoTime();
            Supergraph next = load.load();
            loading[1] = System.nanoTime();
            return next;
        };
        server.reloadOnChange(watched, timed,
                next -> out.println("reloaded the supergraph from " + source + " (" + next.subgraphs().size() + " subgraphs; loaded in "
                        + millis(loading[1] - loading[0]) + " ms, served after " + millis(System.nanoTime() - loading[1])
                        + " ms more: the new router built and the operations in use planned on it)"),
                reason -> err.println("reload of " + source + " failed, still serving the previous supergraph: " + reason));
    }

    /** Composes the subgraphs a config lists; a composition error stops the start with the errors on stderr. */
    private static Supergraph composeSupergraph(String config, PrintStream err) {
        CompositionResult result = Composer.compose(ComposeCommand.sources(config, List.of()));
        result.hints().forEach(h -> err.println(h.describe()));
        if (result instanceof CompositionResult.Failed failed) {
            err.print(failed.describe());
            throw new IllegalStateException("--subgraphs " + config + ": composition failed with " + failed.errors().size() + " error(s)");
        }
        return SupergraphLoader.load(((CompositionResult.Composed) result).supergraphSdl());
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
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
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

    static Map<String, String> options(List<String> args, List<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (!known.contains(flag)) throw new UsageException("unknown option " + flag + " (options: " + String.join(", ", known) + ")");
            if (i + 1 >= args.size()) throw new UsageException(flag + " needs a value");
            options.put(flag, args.get(++i));
        }
        return options;
    }

    static String required(Map<String, String> options, String flag) {
        String value = options.get(flag);
        if (value == null) throw new UsageException(flag + " is required");
        return value;
    }

    static int intOption(Map<String, String> options, String flag, int defaultValue) {
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
