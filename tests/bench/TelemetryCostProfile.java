import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What telemetry costs per request, from the flight recordings of tests/bench/telemetry-bench.sh (JFR=1): for each
 * configuration, the bytes allocated per request (the JFR allocation samples' weights, which add up to what the
 * threads allocated) in all and in telemetry's code (a stack with a frame of the router's telemetry package,
 * OpenTelemetry or the Prometheus client), the share of CPU samples with such a frame, and telemetry's top allocation
 * and CPU sites, and the compilations of 100 ms or more in the window (JIT time on the router's core that no CPU sample
 * of Java code shows). Allocation per request does not depend on what else the machine runs, so it is the steady figure on a
 * shared machine. Only the measured window counts (start-up and warm-up allocate too): the DURATION seconds before the
 * last sample of a request being handled, and the requests wrk counted in that window.
 *
 * <p>Usage: java tests/bench/TelemetryCostProfile.java JFR_DIR RUNS_DIR DURATION
 */
public final class TelemetryCostProfile {
    /** Telemetry's handlers and filter wrapper: the rest of the request runs below them. */
    private static final Set<String> WRAPPERS = Set.of("dev.vestibule.router.telemetry.HttpTelemetry.handle",
            "dev.vestibule.router.telemetry.MetricsHandler.handle", "dev.vestibule.router.telemetry.ObservedFilter.apply");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    private static boolean telemetry(String className) {
        return className.startsWith("dev.vestibule.router.telemetry.") || className.startsWith("io.opentelemetry.")
                || className.startsWith("io.prometheus.");
    }

    private static String site(RecordedStackTrace stack) {
        if (stack == null) return "?";
        List<RecordedFrame> frames = stack.getFrames();
        // the telemetry frame nearest the allocation, and what it allocated in
        boolean jdkOnly = true;
        for (int i = 0; i < frames.size(); i++) {
            String type = frames.get(i).getMethod().getType().getName();
            // the handler and the filter wrapper have the whole request below them: theirs is only what they do themselves
            boolean wrapper = WRAPPERS.contains(name(frames.get(i)));
            if (telemetry(type) && (!wrapper || jdkOnly)) {
                RecordedFrame top = frames.get(0);
                String at = name(frames.get(i));
                return i == 0 ? at : at + " <- " + name(top).replaceFirst("^.*\\.(\\w+\\.\\w+)$", "$1");
            }
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) jdkOnly = false;
        }
        return null;
    }

    /** The router's telemetry method nearest the request (below the wrappers): which of its calls costs. */
    private static String caller(RecordedStackTrace stack) {
        String found = "(library thread)";
        for (RecordedFrame frame : stack.getFrames()) {
            String name = name(frame);
            if (name.startsWith("dev.vestibule.router.telemetry.") && !WRAPPERS.contains(name)) found = name;
        }
        return found;
    }

    private static boolean handlesRequest(RecordedStackTrace stack) {
        if (stack == null) return false;
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getType().getName().equals("dev.vestibule.router.http.GraphQLHttpHandler")) return true;
        }
        return false;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static long requests(Path runs, String config) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(config + "#") && !name.startsWith(config + ".")) continue;
                if (!name.endsWith(".wrk.txt")) continue;
                Matcher m = REQUESTS.matcher(Files.readString(file));
                if (m.find()) total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    public static void main(String[] args) throws IOException {
        Path jfrDir = Path.of(args[0]);
        Path runs = Path.of(args[1]);
        Duration measured = Duration.ofSeconds(Long.parseLong(args[2]));
        Map<String, List<Path>> byConfig = new TreeMap<>();
        try (Stream<Path> files = Files.list(jfrDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList()) {
                String config = file.getFileName().toString().replaceFirst("-\\d+\\.jfr$", "");
                byConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(file);
            }
        }
        System.out.println("| configuration | requests | KB allocated / request | of which telemetry's | CPU samples | with a telemetry frame | compilations >= 100 ms (ms) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        Map<String, List<String>> longCompilations = new TreeMap<>();
        Map<String, Map<String, double[]>> sites = new TreeMap<>();
        for (Map.Entry<String, List<Path>> entry : byConfig.entrySet()) {
            double allocated = 0, telemetryAllocated = 0;
            long cpu = 0, telemetryCpu = 0, compilations = 0;
            double compileMillis = 0;
            Map<String, double[]> configSites = new HashMap<>();
            for (Path file : entry.getValue()) {
                List<RecordedEvent> events = RecordingFile.readAllEvents(file);
                Instant loadEnd = Instant.MIN;
                for (RecordedEvent event : events) {
                    if (event.getEventType().getName().equals("jdk.ExecutionSample") && handlesRequest(event.getStackTrace())
                            && event.getStartTime().isAfter(loadEnd)) {
                        loadEnd = event.getStartTime();
                    }
                }
                Instant loadStart = loadEnd.minus(measured);
                for (RecordedEvent event : events) {
                    if (event.getStartTime().isBefore(loadStart) || event.getStartTime().isAfter(loadEnd)) continue;
                    String type = event.getEventType().getName();
                    if (type.equals("jdk.ObjectAllocationSample")) {
                        double weight = event.getLong("weight");
                        allocated += weight;
                        String site = site(event.getStackTrace());
                        if (site != null) {
                            telemetryAllocated += weight;
                            configSites.computeIfAbsent("alloc " + site, k -> new double[1])[0] += weight;
                        }
                    } else if (type.equals("jdk.Compilation")) {
                        // the long compilations in the window (the profile settings record those of 100 ms or more):
                        // compiler time spent on the router's core while it serves, which CPU samples of Java code miss
                        double millis = event.getDuration().toNanos() / 1e6;
                        compilations++;
                        compileMillis += millis;
                        longCompilations.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(String.format("%6.0f ms  C%d %s.%s (%d B)",
                                millis, event.getInt("compileLevel") > 3 ? 2 : 1, event.getValue("method.type.name"),
                                event.getValue("method.name"), event.getLong("codeSize")));
                    } else if (type.equals("jdk.ExecutionSample")) {
                        cpu++;
                        String site = site(event.getStackTrace());
                        if (site != null) {
                            telemetryCpu++;
                            configSites.computeIfAbsent("cpu " + site, k -> new double[1])[0]++;
                            configSites.computeIfAbsent("from " + caller(event.getStackTrace()), k -> new double[1])[0]++;
                        }
                    }
                }
            }
            long requests = requests(runs, entry.getKey());
            System.out.printf("| %s | %d | %.1f | %.2f | %d | %.1f %% | %d (%.0f) |%n", entry.getKey(), requests, allocated / requests / 1024,
                    telemetryAllocated / requests / 1024, cpu, cpu == 0 ? 0 : 100.0 * telemetryCpu / cpu, compilations, compileMillis);
            for (Map.Entry<String, double[]> site : configSites.entrySet()) {
                double value = site.getKey().startsWith("alloc") ? site.getValue()[0] / requests : site.getValue()[0];
                sites.computeIfAbsent(entry.getKey(), k -> new HashMap<>()).put(site.getKey(), new double[] {value});
            }
        }
        for (Map.Entry<String, Map<String, double[]>> entry : sites.entrySet()) {
            System.out.println();
            System.out.println(entry.getKey() + ": telemetry's top sites (alloc: bytes per request; cpu: samples)");
            entry.getValue().entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                    .filter(e -> e.getKey().startsWith("alloc")).limit(15)
                    .forEach(e -> System.out.printf("  %8.0f  %s%n", e.getValue()[0], e.getKey()));
            entry.getValue().entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                    .filter(e -> e.getKey().startsWith("cpu")).limit(10)
                    .forEach(e -> System.out.printf("  %8.0f  %s%n", e.getValue()[0], e.getKey()));
            entry.getValue().entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                    .filter(e -> e.getKey().startsWith("from")).limit(12)
                    .forEach(e -> System.out.printf("  %8.0f  cpu %s%n", e.getValue()[0], e.getKey()));
            longCompilations.getOrDefault(entry.getKey(), List.of()).stream().sorted(Comparator.reverseOrder()).limit(8)
                    .forEach(line -> System.out.println("  compiled " + line));
        }
    }
}
