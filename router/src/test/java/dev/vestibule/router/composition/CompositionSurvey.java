package dev.vestibule.router.composition;

import dev.vestibule.router.composition.ApolloComposition.Outcome;
import dev.vestibule.router.composition.CompositionResult.Failed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How often does Vestibule accept a subgraph set Apollo rejects (and the reverse)? Generates mutated subgraph sets
 * from the corpus (fixed seed), composes each with both composers and counts the disagreements by Apollo's error
 * code. The mutations are semantic, so most sets still parse: a dropped field line, a dropped or added directive
 * application (@key, @external, @shareable, @requires, @provides...), a field moved to another type, plus the
 * robustness test's token edits. Run it with {@code tests/bench/compose-survey.sh [SETS_PER_CASE] [SEED]}; it is a
 * measurement for docs/composition.md, not a test. With {@code --show CODE} it prints the sets of that disagreement.
 */
public final class CompositionSurvey {
    private static final Pattern DIRECTIVE = Pattern.compile("@\\w+(\\((?:[^()\"]|\"[^\"]*\")*\\))?");
    private static final String[] ADDED = {"@external", "@shareable", "@inaccessible", "@key(fields: \"id\")",
            "@key(fields: \"id\", resolvable: false)", "@requires(fields: \"id\")", "@provides(fields: \"id\")", "@interfaceObject",
            "@override(from: \"a\")", "@override(from: \"b\")"};

    public static void main(String[] args) throws Exception {
        int perCase = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 24;
        String show = args.length > 3 && args[2].equals("--show") ? args[3] : null;
        Random random = new Random(seed);
        List<CompositionCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("router/src/test/resources/composition/cases"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".graphql")).sorted().toList()) cases.add(CompositionCase.read(file));
        }
        Map<String, List<SubgraphSource>> sets = new LinkedHashMap<>();
        for (CompositionCase c : cases) {
            if (c.expectedError() != null) continue; // mutate valid sets: an invalid one is already rejected
            for (int i = 0; i < perCase; i++) {
                int target = random.nextInt(c.subgraphs().size());
                List<SubgraphSource> edited = new ArrayList<>();
                for (int j = 0; j < c.subgraphs().size(); j++) {
                    SubgraphSource s = c.subgraphs().get(j);
                    edited.add(j == target ? new SubgraphSource(s.name(), s.url(), mutate(s.sdl(), random)) : s);
                }
                sets.put(c.name() + "#" + i, edited);
            }
        }
        Map<String, Outcome> apollo = ApolloComposition.compose(sets);
        int bothComposed = 0;
        int bothRejected = 0;
        Map<String, Integer> weAccept = new TreeMap<>();
        Map<String, Integer> weReject = new TreeMap<>();
        long slowest = 0;
        for (Map.Entry<String, List<SubgraphSource>> set : sets.entrySet()) {
            Outcome reference = apollo.get(set.getKey());
            long start = System.nanoTime();
            CompositionResult ours = Composer.compose(set.getValue());
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            boolean we = !(ours instanceof Failed);
            if (we && reference.composed()) bothComposed++;
            else if (!we && !reference.composed()) bothRejected++;
            else if (we) {
                String code = String.join("+", reference.errorCodes().stream().distinct().sorted().toList());
                weAccept.merge(code, 1, Integer::sum);
                if (code.contains(String.valueOf(show))) print(set, reference.errorMessages().toString());
            } else {
                String code = String.join("+", ((Failed) ours).errors().stream().map(CompositionError::code).distinct().sorted().toList());
                weReject.merge(code, 1, Integer::sum);
                if (code.contains(String.valueOf(show))) print(set, ((Failed) ours).describe());
            }
        }
        int accepted = weAccept.values().stream().mapToInt(Integer::intValue).sum();
        int rejected = weReject.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("%d mutated sets (seed %d, %d per valid corpus case): both compose %d, both reject %d, "
                + "Vestibule accepts what Apollo rejects %d, Vestibule rejects what Apollo composes %d; slowest composition %d ms%n",
                sets.size(), seed, perCase, bothComposed, bothRejected, accepted, rejected, slowest);
        System.out.println("accepted by Vestibule, rejected by Apollo (Apollo's codes): " + weAccept);
        System.out.println("rejected by Vestibule, composed by Apollo (our codes): " + weReject);
    }

    private static void print(Map.Entry<String, List<SubgraphSource>> set, String why) {
        System.out.println("=== " + set.getKey() + "\n" + why);
        for (SubgraphSource s : set.getValue()) System.out.println("# --- subgraph " + s.name() + "\n" + s.sdl());
    }

    /** One or two semantic edits of a subgraph's SDL, or the robustness test's token edits (one time in five). */
    static String mutate(String sdl, Random random) {
        if (random.nextInt(5) == 0) return CompositionRobustnessTest.mutate(sdl, random);
        List<String> lines = new ArrayList<>(Arrays.asList(sdl.split("\n", -1)));
        int edits = 1 + random.nextInt(2);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(4)) {
                case 0 -> { // drop one directive application
                    List<int[]> found = new ArrayList<>();
                    Matcher m = DIRECTIVE.matcher(line);
                    while (m.find()) found.add(new int[] {m.start(), m.end()});
                    if (found.isEmpty() || line.contains("@link")) continue;
                    int[] pick = found.get(random.nextInt(found.size()));
                    lines.set(at, line.substring(0, pick[0]) + line.substring(pick[1]));
                }
                case 1 -> { // add a directive after a field or a type name
                    Matcher m = Pattern.compile("(\\w+(\\([^)]*\\))?: [\\w\\[\\]!]+|type \\w+)").matcher(line);
                    List<Integer> ends = new ArrayList<>();
                    while (m.find()) ends.add(m.end());
                    if (ends.isEmpty()) continue;
                    int end = ends.get(random.nextInt(ends.size()));
                    lines.set(at, line.substring(0, end) + " " + ADDED[random.nextInt(ADDED.length)] + line.substring(end));
                }
                case 2 -> { // drop a field (one of several on the line, or the whole line)
                    Matcher m = Pattern.compile("\\w+(\\([^)]*\\))?: [\\w\\[\\]!]+( @\\w+(\\((?:[^()\"]|\"[^\"]*\")*\\))?)*").matcher(line);
                    List<int[]> found = new ArrayList<>();
                    while (m.find()) found.add(new int[] {m.start(), m.end()});
                    if (found.isEmpty() || line.contains("@link") || line.contains("directive ")) continue;
                    int[] pick = found.get(random.nextInt(found.size()));
                    lines.set(at, line.substring(0, pick[0]) + line.substring(pick[1]));
                }
                default -> { // rename a type reference (to another name used in the subgraph)
                    Matcher m = Pattern.compile(": \\[?(\\w+)").matcher(sdl);
                    List<String> names = new ArrayList<>();
                    while (m.find()) names.add(m.group(1));
                    Matcher here = Pattern.compile(": \\[?(\\w+)").matcher(line);
                    if (names.isEmpty() || !here.find()) continue;
                    lines.set(at, line.substring(0, here.start(1)) + names.get(random.nextInt(names.size())) + line.substring(here.end(1)));
                }
            }
        }
        return String.join("\n", lines);
    }
}
