package dev.vestibule.router.cli;

import dev.vestibule.router.bff.codegen.BffCheck;
import dev.vestibule.router.bff.codegen.OperationProblem;
import dev.vestibule.router.bff.codegen.SchemaChanges;
import dev.vestibule.router.cli.RouterCli.UsageException;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.composition.SubgraphsConfig;
import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.schema.GraphQLSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code check}: do the BFF modules' operations still run against a supergraph, or against the supergraph a proposed
 * subgraph schema would make? Offline and deterministic: the operations are the modules' committed files, not traffic.
 * With {@code --subgraph} it composes the proposed schema with the others (as {@code compose} does), classifies every
 * change of the API schema (breaking, dangerous, safe) and names every BFF operation the change breaks. Exit 1 when
 * an operation breaks (or the proposal does not compose; with {@code --fail-on-breaking} also on any breaking change).
 */
final class CheckCommand {
    static final String SUMMARY = "check [--supergraph FILE] [--subgraph NAME=FILE | NAME=URL@FILE]... [--config subgraphs.yaml]"
            + " [--bff bff-mobile,bff-web] [--fail-on-breaking]: validate the BFF modules' operations against a supergraph,"
            + " or against a proposed subgraph schema composed with the others (reports each schema change as breaking,"
            + " dangerous or safe and every BFF operation it breaks)";

    private CheckCommand() {}

    static int run(List<String> arguments, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(arguments);
        boolean failOnBreaking = args.remove("--fail-on-breaking");
        String supergraph = null;
        String config = null;
        String bff = "bff-mobile,bff-web";
        List<String> proposals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) throw new UsageException(flag + " needs a value");
            String value = args.get(++i);
            switch (flag) {
                case "--supergraph" -> supergraph = value;
                case "--config" -> config = value;
                case "--bff" -> bff = value;
                case "--subgraph" -> proposals.add(value);
                default -> throw new UsageException("unknown option " + flag
                        + " (options: --supergraph, --subgraph, --config, --bff, --fail-on-breaking)");
            }
        }
        List<Path> modules = Arrays.stream(bff.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
        if (modules.isEmpty()) throw new UsageException("--bff needs at least one BFF module directory");
        for (Path module : modules) {
            if (!Files.isDirectory(module.resolve("src/main/graphql"))) {
                throw new UsageException("--bff " + module + ": not a BFF module (no " + module.resolve("src/main/graphql") + ")");
            }
        }
        Path base = Path.of("");
        String names = String.join(", ", modules.stream().map(m -> m.toAbsolutePath().normalize().getFileName().toString()).toList());

        if (proposals.isEmpty()) {
            String file = supergraph != null ? supergraph : "schemas/supergraph.graphql";
            GraphQLSchema api = SupergraphLoader.load(read(file, "--supergraph")).apiSchema();
            return report(BffCheck.check(modules, base, api, null), names, "the supergraph " + file, List.of(), failOnBreaking, out, err);
        }

        String configFile = config != null ? config : "schemas/subgraphs.yaml";
        List<SubgraphSource> current = ComposeCommand.sources(configFile, List.of());
        Map<String, SubgraphSource> proposed = new LinkedHashMap<>();
        current.forEach(s -> proposed.put(s.name(), s));
        List<String> described = new ArrayList<>();
        for (String option : proposals) {
            SubgraphSource source = proposal(option, proposed);
            described.add(source.name() + " (" + source.origin() + ")");
            proposed.put(source.name(), source);
        }
        GraphQLSchema before = supergraph != null ? SupergraphLoader.load(read(supergraph, "--supergraph")).apiSchema()
                : compose(current, "the current subgraphs of " + configFile, err);
        GraphQLSchema after = compose(List.copyOf(proposed.values()), "the proposed " + String.join(", ", described), err);
        if (after == null) return 1;
        if (before == null) throw new IllegalStateException("the current subgraphs of " + configFile + " do not compose; fix them first");
        List<SchemaChanges.Change> changes = SchemaChanges.between(before, after);
        out.println("schema changes of the proposed " + String.join(", ", described) + ": " + changes.size());
        for (SchemaChanges.Change change : changes) out.println("  " + change.describe());
        return report(BffCheck.check(modules, base, after, before), names, "the supergraph with the proposed " + String.join(", ", described),
                changes, failOnBreaking, out, err);
    }

    private static int report(BffCheck.Report report, String modules, String against, List<SchemaChanges.Change> changes,
                              boolean failOnBreaking, PrintStream out, PrintStream err) {
        List<OperationProblem> problems = report.problems();
        long breaking = changes.stream().filter(c -> c.level() == SchemaChanges.Level.BREAKING).count();
        if (problems.isEmpty()) {
            out.println("BFF operations broken: none (" + report.operations() + " operation(s) of " + modules + " validate against " + against + ")");
        } else {
            out.println("BFF operations broken: " + problems.size());
            for (OperationProblem problem : problems) out.println("  " + problem.describe());
        }
        if (!problems.isEmpty()) {
            TreeSet<String> broken = new TreeSet<>();
            problems.forEach(p -> broken.add(p.module() + " " + (p.operation() == null ? p.file() : p.operation())));
            err.println("check failed: " + against + " breaks " + broken.size() + " BFF operation(s): " + String.join(", ", broken));
            return 1;
        }
        if (failOnBreaking && breaking > 0) {
            err.println("check failed: " + breaking + " breaking schema change(s) (--fail-on-breaking), though no BFF operation uses them");
            return 1;
        }
        if (breaking > 0) {
            out.println("note: " + breaking + " breaking change(s) no BFF operation uses; other clients of /graphql may still use them");
        }
        return 0;
    }

    /** {@code NAME=FILE} (the routing URL stays the current one), {@code NAME=URL@FILE}, or {@code NAME=URL} (fetched: not offline). */
    private static SubgraphSource proposal(String option, Map<String, SubgraphSource> current) {
        int equals = option.indexOf('=');
        if (equals <= 0) throw new UsageException("--subgraph " + option + ": expected NAME=FILE, NAME=URL@FILE or NAME=URL");
        String name = option.substring(0, equals);
        String value = option.substring(equals + 1);
        boolean url = value.startsWith("http://") || value.startsWith("https://");
        if (!url) {
            SubgraphSource existing = current.get(name);
            if (existing == null) {
                throw new UsageException("--subgraph " + option + ": no subgraph " + name + " in the config to take the routing URL from;"
                        + " give NAME=URL@FILE for a new subgraph (subgraphs: " + String.join(", ", current.keySet()) + ")");
            }
            return new SubgraphSource(name, existing.url(), read(value, "--subgraph " + name), value);
        }
        try {
            return SubgraphsConfig.parseOption(option);
        } catch (SubgraphsConfig.ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The API schema of the composed subgraphs, or null (with the composition errors on stderr) when they do not compose. */
    private static GraphQLSchema compose(List<SubgraphSource> sources, String what, PrintStream err) {
        CompositionResult result = Composer.compose(sources);
        if (result instanceof CompositionResult.Failed failed) {
            err.print(failed.describe());
            err.println("check failed: " + what + " do(es) not compose: " + failed.errors().size() + " error(s)");
            return null;
        }
        return SupergraphLoader.load(((CompositionResult.Composed) result).supergraphSdl()).apiSchema();
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
}
