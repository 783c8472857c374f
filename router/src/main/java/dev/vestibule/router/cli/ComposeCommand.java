package dev.vestibule.router.cli;

import dev.vestibule.router.cli.RouterCli.UsageException;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionHint;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.composition.SubgraphsConfig;
import dev.vestibule.router.composition.SupergraphEquivalence;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code compose --config subgraphs.yaml | --subgraph NAME=URL[@FILE]... [--out FILE] [--compare FILE]}: composes the
 * subgraphs into a supergraph. Errors and hints go to stderr; a failed composition exits 1 and writes nothing.
 */
final class ComposeCommand {
    static final String SUMMARY = "compose --config subgraphs.yaml | --subgraph NAME=URL[@FILE]... [--out FILE] [--compare FILE]:"
            + " compose subgraphs into a supergraph (--compare: report how it differs from another supergraph)";

    private ComposeCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        String config = null;
        String outFile = null;
        String compare = null;
        List<String> subgraphOptions = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) throw new UsageException(flag + " needs a value");
            String value = args.get(++i);
            switch (flag) {
                case "--config" -> config = value;
                case "--subgraph" -> subgraphOptions.add(value);
                case "--out" -> outFile = value;
                case "--compare" -> compare = value;
                default -> throw new UsageException("unknown option " + flag + " (options: --config, --subgraph, --out, --compare)");
            }
        }
        List<SubgraphSource> sources = sources(config, subgraphOptions);
        CompositionResult result = Composer.compose(sources);
        for (CompositionHint hint : result.hints()) err.println(hint.describe());
        if (result instanceof CompositionResult.Failed failed) {
            err.print(failed.describe());
            err.println("composition failed: " + failed.errors().size() + " error(s)");
            return 1;
        }
        String sdl = ((CompositionResult.Composed) result).supergraphSdl();
        if (compare != null) {
            List<String> differences = SupergraphEquivalence.differences(read(Path.of(compare)), sdl);
            differences.forEach(d -> err.println("difference: " + d));
            out.println(differences.isEmpty() ? "equivalent to " + compare : differences.size() + " difference(s) from " + compare);
            return differences.isEmpty() ? 0 : 1;
        }
        if (outFile == null) {
            out.print(sdl);
        } else {
            Files.writeString(Path.of(outFile), sdl);
            err.println("wrote " + outFile + " (" + sources.size() + " subgraphs)");
        }
        return 0;
    }

    static List<SubgraphSource> sources(String config, List<String> subgraphOptions) {
        if (config == null && subgraphOptions.isEmpty()) throw new UsageException("give --config FILE or --subgraph NAME=URL[@FILE]");
        try {
            List<SubgraphSource> sources = new ArrayList<>();
            if (config != null) {
                if (!Files.exists(Path.of(config))) throw new UsageException("--config " + config + ": no such file");
                sources.addAll(SubgraphsConfig.load(Path.of(config)));
            }
            for (String option : subgraphOptions) sources.add(SubgraphsConfig.parseOption(option));
            return sources;
        } catch (SubgraphsConfig.ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
