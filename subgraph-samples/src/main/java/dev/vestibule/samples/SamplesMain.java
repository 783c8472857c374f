package dev.vestibule.samples;

import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import dev.vestibule.samples.server.SubgraphServer.PortInUseException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line of the sample subgraphs:
 * {@code all [--base-port N] [faults]} starts every subgraph in this JVM, {@code subgraph NAME [--port N] [faults]}
 * one. Both run until SIGINT/SIGTERM. Bad input gets one line on stderr and a non-zero exit, never a stack trace.
 */
public final class SamplesMain {
    static final int EXIT_USAGE = 2;
    static final int EXIT_PORT_IN_USE = 1;

    private static final String USAGE = """
            usage: subgraph-samples all [--base-port N] [FAULTS]      every sample subgraph (ports N..N+4, default 4001)
                   subgraph-samples subgraph NAME [--port N] [FAULTS] one subgraph (default port: its place in the list)
            subgraphs: %s
            FAULTS (shares of requests, 0..1; at most one fault per request):
              --latency-ms N | MIN-MAX   added latency on every answer
              --error-rate R             answered with GraphQL errors (HTTP 200, data null)
              --http500-rate R           answered with HTTP 500
              --hang-rate R              never answered (until the subgraph stops)
              --disconnect-rate R        connection closed in the middle of the response
              --invalid-json-rate R      answered with a body that is not JSON
            at run time: GET/PUT/DELETE /admin/faults, GET/DELETE /admin/requests on each subgraph's port
            """;

    private SamplesMain() {}

    public static void main(String[] args) {
        CountDownLatch shutdown = new CountDownLatch(1);
        int exit = run(args, System.out, System.err, servers -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                servers.forEach(SubgraphServer::close);
                shutdown.countDown();
            }, "samples-shutdown"));
            awaitQuietly(shutdown);
        });
        if (exit != 0) System.exit(exit);
    }

    /** What to do with the started servers: block until shutdown in main, return at once in tests. */
    @FunctionalInterface
    interface Lifetime {
        void hold(List<SubgraphServer> servers);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Lifetime lifetime) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h") || rest.get(0).equals("help")) {
            (rest.isEmpty() ? err : out).print(USAGE.formatted(String.join(", ", SampleSubgraphs.names())));
            return rest.isEmpty() ? EXIT_USAGE : 0;
        }
        try {
            String command = rest.remove(0);
            return switch (command) {
                case "all" -> startAll(rest, out, lifetime);
                case "subgraph" -> startOne(rest, out, lifetime);
                default -> throw new UsageException("unknown command '" + command + "' (use all, subgraph or --help)");
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (PortInUseException e) {
            err.println("error: port " + e.port() + " is already in use; choose another with "
                    + (args[0].equals("all") ? "--base-port N" : "--port N"));
            return EXIT_PORT_IN_USE;
        }
    }

    private static int startAll(List<String> args, PrintStream out, Lifetime lifetime) {
        Options options = Options.parse(args, "--base-port");
        int basePort = options.port() == null ? SampleSubgraphs.DEFAULT_BASE_PORT : options.port();
        SampleSubgraphs.Running running = SampleSubgraphs.startAll(basePort, options.faults());
        out.println("Vestibule sample subgraphs (Ctrl-C stops them all):");
        running.servers().forEach(s -> out.printf("  %-10s %s%n", s.name(), s.url()));
        out.println();
        out.println("Try an entity fetch, as the router sends it (two products by upc from products):");
        out.println("  " + entitiesCurl(running.get("products").url()));
        out.println();
        out.println("Faults and request logs at run time: " + running.get("products").baseUrl()
                + "/admin/faults and /admin/requests (GET, PUT, DELETE) on each subgraph's port");
        out.flush();
        lifetime.hold(running.servers());
        return 0;
    }

    private static int startOne(List<String> args, PrintStream out, Lifetime lifetime) {
        if (args.isEmpty() || args.get(0).startsWith("-")) throw new UsageException("subgraph needs a NAME (one of "
                + String.join(", ", SampleSubgraphs.names()) + ")");
        String name = args.remove(0);
        if (SampleSubgraphs.create(name).isEmpty()) throw new UsageException(SampleSubgraphs.unknownName(name));
        Options options = Options.parse(args, "--port");
        int port = options.port() == null ? SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) : options.port();
        SubgraphServer server = SampleSubgraphs.start(name, port, options.faults());
        out.printf("  %-10s %s%n", server.name(), server.url());
        out.flush();
        lifetime.hold(List.of(server));
        return 0;
    }

    static String entitiesCurl(String url) {
        return "curl -s " + url + " -H 'content-type: application/json' -d '{\"query\":\"query($r: [_Any!]!) "
                + "{ _entities(representations: $r) { ... on Product { upc name price category } } }\","
                + "\"variables\":{\"r\":[{\"__typename\":\"Product\",\"upc\":\"100001\"},"
                + "{\"__typename\":\"Product\",\"upc\":\"100002\"}]}}'";
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A mistake in the command line, said in one line. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** The port option (named portFlag) and the fault flags. */
    record Options(Integer port, FaultSettings faults) {
        static Options parse(List<String> args, String portFlag) {
            Integer port = null;
            FaultSettings faults = FaultSettings.NONE;
            for (int i = 0; i < args.size(); i++) {
                String flag = args.get(i);
                if (i + 1 >= args.size()) throw new UsageException(flag + " needs a value");
                String value = args.get(++i);
                try {
                    if (flag.equals(portFlag)) {
                        port = parsePort(flag, value);
                    } else {
                        faults = switch (flag) {
                            case "--latency-ms" -> {
                                String[] range = value.split("-", 2);
                                int min = Integer.parseInt(range[0].strip());
                                yield faults.withLatency(min, range.length == 2 ? Integer.parseInt(range[1].strip()) : min);
                            }
                            case "--error-rate" -> faults.withErrorRate(rate(flag, value));
                            case "--http500-rate" -> faults.withHttp500Rate(rate(flag, value));
                            case "--hang-rate" -> faults.withHangRate(rate(flag, value));
                            case "--disconnect-rate" -> faults.withDisconnectRate(rate(flag, value));
                            case "--invalid-json-rate" -> faults.withInvalidJsonRate(rate(flag, value));
                            default -> throw new UsageException("unknown option " + flag + " (see --help)");
                        };
                    }
                } catch (NumberFormatException e) {
                    throw new UsageException(flag + " needs a number" + (flag.equals("--latency-ms") ? " or MIN-MAX" : "")
                            + ", got '" + value + "'");
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            return new Options(port, faults);
        }

        private static int parsePort(String flag, String value) {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65_535) throw new UsageException(flag + " must be between 0 and 65535, got " + port);
            return port;
        }

        private static double rate(String flag, String value) {
            double rate = Double.parseDouble(value);
            if (!(rate >= 0 && rate <= 1)) throw new UsageException(flag + " must be between 0 and 1, got " + value);
            return rate;
        }
    }
}
