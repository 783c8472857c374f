package dev.vestibule.router.bff.codegen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vestibule.router.supergraph.SupergraphException;
import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.language.AstPrinter;
import graphql.schema.GraphQLSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The BFF code generator, run by each BFF module's build in generate-sources (exec-maven-plugin forks it on the
 * build's JDK with the module's class path, which holds the router):
 *
 * <pre>
 * java dev.vestibule.router.bff.codegen.BffCodegen --client mobile --package dev.vestibule.bff.mobile.graphql
 *     [--module bff-mobile] [--module-dir DIR (default: the working directory)] [--supergraph ../schemas/supergraph.graphql] [--operations src/main/graphql]
 *     [--java-out target/generated-sources/bff] [--resources-out target/classes]
 * </pre>
 *
 * It validates every operation against the supergraph's API schema (what clients may ask), and on any problem prints
 * each one (module, file:line, operation, field, why) and exits 1, which fails the module's build. Otherwise it writes
 * one class per operation, the enums and inputs they use, an index class ({@code <Client>Operations.ALL}) and the
 * persisted-operation manifest {@code META-INF/vestibule/bff/<client>/persisted-operations.json} (Apollo's format).
 * Relative paths are the module directory's. Files whose content is unchanged are not rewritten, so an unchanged module does not recompile.
 */
public final class BffCodegen {
    /** Where a module's jar carries its manifest: the router's safelist and the BFF host read it from the class path. */
    public static String manifestResource(String client) {
        return "META-INF/vestibule/bff/" + client + "/persisted-operations.json";
    }

    /** What the generator made: the operations with their text and id, and the files it wrote. */
    public record Result(List<ManifestOperation> operations, List<Path> written) {}

    public record ManifestOperation(String id, String name, String type, String body) {}

    public record Settings(String client, String module, String packageName, Path supergraph, Path operations, Path javaOut,
                           Path resourcesOut, Path moduleDir) {}

    /** Problems found: the build fails with them. */
    public static final class ProblemsException extends RuntimeException {
        private final List<OperationProblem> problems;

        ProblemsException(List<OperationProblem> problems) {
            super(problems.size() + " problem(s)", null, false, false);
            this.problems = problems;
        }

        public List<OperationProblem> problems() {
            return problems;
        }
    }

    private BffCodegen() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            settings = settings(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: BffCodegen --client NAME --package PKG [--module NAME] [--module-dir DIR] [--supergraph FILE] [--operations DIR]"
                    + " [--java-out DIR] [--resources-out DIR]");
            return 2;
        }
        try {
            Result result = generate(settings);
            out.println("vestibule bff codegen: " + settings.module() + ": " + result.operations().size() + " operation(s) checked against "
                    + settings.supergraph() + "; " + result.written().size() + " file(s) written");
            return 0;
        } catch (ProblemsException e) {
            for (OperationProblem problem : e.problems()) err.println(problem.describe());
            err.println(settings.module() + ": " + e.problems().size() + " problem(s) in the BFF operations against the supergraph "
                    + settings.supergraph() + ": change the operations (src/main/graphql) or the schema change that broke them");
            return 1;
        } catch (SupergraphException | IllegalArgumentException | UncheckedIOException e) {
            err.println(settings.module() + ": error: " + e.getMessage());
            return 1;
        }
    }

    static Settings settings(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> known = Set.of("--client", "--module", "--module-dir", "--package", "--supergraph", "--operations", "--java-out", "--resources-out");
        for (int i = 0; i < args.length; i++) {
            if (!known.contains(args[i])) throw new IllegalArgumentException("unknown option " + args[i]);
            if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
            options.put(args[i], args[++i]);
        }
        String client = options.get("--client");
        String packageName = options.get("--package");
        if (client == null || packageName == null) throw new IllegalArgumentException("--client and --package are required");
        if (!client.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("--client " + client + ": use lower-case letters, digits and -");
        Path moduleDir = Path.of(options.getOrDefault("--module-dir", "")).toAbsolutePath();
        return new Settings(client, options.getOrDefault("--module", moduleDir.getFileName().toString()), packageName,
                moduleDir.resolve(options.getOrDefault("--supergraph", "../schemas/supergraph.graphql")).normalize(),
                moduleDir.resolve(options.getOrDefault("--operations", "src/main/graphql")).normalize(),
                moduleDir.resolve(options.getOrDefault("--java-out", "target/generated-sources/bff")).normalize(),
                moduleDir.resolve(options.getOrDefault("--resources-out", "target/classes")).normalize(), moduleDir);
    }

    /** Loads the supergraph's API schema; a missing or broken file is an IllegalArgumentException naming it. */
    public static GraphQLSchema apiSchema(Path supergraph) {
        String sdl;
        try {
            sdl = Files.readString(supergraph);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("supergraph " + supergraph + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("supergraph " + supergraph + ": cannot read it (" + e.getMessage() + ")");
        }
        return SupergraphLoader.load(sdl).apiSchema();
    }

    public static Result generate(Settings settings) {
        GraphQLSchema api = apiSchema(settings.supergraph());
        OperationSet set = OperationSet.read(settings.module(), settings.operations(), settings.moduleDir());
        List<OperationProblem> problems = set.validate(api);
        if (!problems.isEmpty()) throw new ProblemsException(problems);

        JavaGenerator generator = new JavaGenerator(api, settings.packageName());
        DocumentRewriter rewriter = new DocumentRewriter(api);
        Map<String, String> sources = new LinkedHashMap<>();
        List<ManifestOperation> manifest = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<OperationProblem> clashes = new ArrayList<>();
        for (OperationSet.Operation operation : set.operations()) {
            OperationSet.Operation rewritten = rewriter.rewrite(operation);
            String body = AstPrinter.printAstCompact(rewritten.document());
            String id = sha256(body);
            JavaGenerator.GeneratedFile file = generator.operation(rewritten, body, id);
            if (sources.putIfAbsent(file.className(), file.source()) != null) {
                clashes.add(OperationSet.problem(settings.module(), operation.definition().getSourceLocation(), operation.name(), null,
                        "its class " + file.className() + " is another operation's too; rename one of them"));
            }
            classes.add(file.className());
            manifest.add(new ManifestOperation(id, operation.name(), operation.type(), body));
        }
        for (OperationSet.Operation operation : set.operations()) {
            if (generator.sharedTypeNames().contains(JavaGenerator.className(operation))) {
                clashes.add(OperationSet.problem(settings.module(), operation.definition().getSourceLocation(), operation.name(), null,
                        "its class " + JavaGenerator.className(operation) + " has the name of a schema type the module uses; rename the operation"));
            }
        }
        for (JavaGenerator.GeneratedFile file : generator.sharedTypes()) sources.put(file.className(), file.source());
        String index = indexClassName(settings.client());
        if (sources.containsKey(index)) {
            clashes.add(new OperationProblem(settings.module(), settings.operations().toString(), 0, 0, null, null,
                    "the index class " + index + " has the name of an operation's or a schema type's class"));
        }
        if (!clashes.isEmpty()) throw new ProblemsException(clashes);
        sources.put(index, generator.index(index, classes).source());

        List<Path> written = new ArrayList<>();
        Path packageDir = settings.javaOut().resolve(settings.packageName().replace('.', '/'));
        Set<Path> expected = new HashSet<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = packageDir.resolve(source.getKey() + ".java");
            expected.add(file);
            if (writeIfChanged(file, source.getValue())) written.add(file);
        }
        deleteOthers(packageDir, expected);
        Path manifestFile = settings.resourcesOut().resolve(manifestResource(settings.client()));
        if (writeIfChanged(manifestFile, manifestJson(manifest))) written.add(manifestFile);
        return new Result(List.copyOf(manifest), written);
    }

    static String indexClassName(String client) {
        StringBuilder name = new StringBuilder();
        for (String part : client.split("-")) name.append(JavaGenerator.capitalize(part));
        return name + "Operations";
    }

    /** Apollo's persisted-query manifest, operations in name order, pretty-printed for diffs. */
    static String manifestJson(List<ManifestOperation> operations) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "apollo-persisted-query-manifest");
        manifest.put("version", 1);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ManifestOperation operation : operations) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", operation.id());
            entry.put("name", operation.name());
            entry.put("type", operation.type());
            entry.put("body", operation.body());
            list.add(entry);
        }
        manifest.put("operations", list);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean writeIfChanged(Path file, String content) {
        try {
            if (Files.isRegularFile(file) && Files.readString(file).equals(content)) return false;
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Classes of operations that no longer exist must not stay behind and compile. */
    private static void deleteOthers(Path packageDir, Set<Path> expected) {
        if (!Files.isDirectory(packageDir)) return;
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (!expected.contains(file)) Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + packageDir + ": " + e.getMessage(), e);
        }
    }
}
