package dev.vestibule.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The boundary between the engine and the server (docs/architecture.md, "Engine and server"): the engine's classes
 * (read from the compiled bytecode, so generics, annotations and lambdas count) depend on neither the server's
 * packages nor the libraries only the server needs. The BFF modules and tests run the engine in-process; what the
 * edge needs (Jetty, YAML, JWT, Redis) must not leak into it.
 */
class EngineBoundaryTest {
    /** The engine: these packages, and the root package itself (Router, RouterSettings), not its sub-packages. */
    static final List<String> ENGINE = List.of("supergraph", "composition", "operation", "planner", "execution", "subgraph", "json", "pipeline",
            "concurrent", "tls", "files");
    static final String ROOT = "dev.vestibule.router";

    /** The server side, and the libraries only it may use (package prefixes). */
    static final List<String> FORBIDDEN = List.of(ROOT + ".http", ROOT + ".middleware", ROOT + ".config", ROOT + ".cli",
            ROOT + ".telemetry", ROOT + ".server", "org.eclipse.jetty", "org.yaml.snakeyaml", "com.fasterxml.jackson.dataformat.yaml",
            "com.nimbusds", "io.lettuce", "io.github.bucket4j", "ch.qos.logback", "io.opentelemetry");

    /**
     * Dependencies the engine has today that belong to other people's work, by engine class and forbidden package
     * prefix, each with its reason. A new one fails the test; so does one that is no longer there (take it out).
     */
    static final Map<String, String> ALLOWED = Map.of(
            // composition reads subgraphs.yaml (the subgraph list of `compose` and `serve --subgraphs`, Rover's format):
            // the input format of composition itself, not the router's config
            ROOT + ".composition.SubgraphsConfig -> com.fasterxml.jackson.dataformat.yaml", "composition's input format",
            // the per-subgraph protection limit is an in-memory token bucket (bucket4j-core, no Redis); it is to become
            // a decorator of the subgraph transport, on the engine side of issue 22
            ROOT + ".subgraph.SubgraphProtection -> io.github.bucket4j", "in-memory bucket of the subgraph protection limit");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    static boolean isEngine(JavaClass type) {
        String pkg = type.getPackageName();
        if (pkg.equals(ROOT)) return true;
        for (String engine : ENGINE) {
            if (pkg.equals(ROOT + "." + engine) || pkg.startsWith(ROOT + "." + engine + ".")) return true;
        }
        return false;
    }

    /** Every dependency of {@code origins} on a forbidden package, as "Class -> package prefix" (nested classes as their top class). */
    static Set<String> forbiddenDependencies(JavaClasses classes, boolean engine) {
        Set<String> found = new TreeSet<>();
        for (JavaClass type : classes) {
            if (isEngine(type) != engine) continue;
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String target = dependency.getTargetClass().getName();
                for (String prefix : FORBIDDEN) {
                    if (target.equals(prefix) || target.startsWith(prefix + ".")) {
                        String origin = type.getName();
                        int nested = origin.indexOf('$');
                        found.add((nested < 0 ? origin : origin.substring(0, nested)) + " -> " + prefix);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theEngineDependsOnNothingOfTheServer() {
        Set<String> found = forbiddenDependencies(CLASSES, true);
        assertThat(CLASSES.stream().filter(EngineBoundaryTest::isEngine).count()).as("engine classes read").isGreaterThan(100);
        assertThat(found).as("engine classes that depend on the server or its libraries (docs/architecture.md)")
                .isSubsetOf(ALLOWED.keySet());
        assertThat(ALLOWED.keySet()).as("allowed exceptions no longer needed: take them out of ALLOWED").isSubsetOf(found);
    }

    /** The check can fail: the server's classes do depend on what the engine must not. */
    @Test
    void theCheckSeesTheServersDependencies() {
        Set<String> server = forbiddenDependencies(CLASSES, false);
        assertThat(server).contains(ROOT + ".http.GraphQLHttpHandler -> org.eclipse.jetty",
                ROOT + ".middleware.Authenticator -> com.nimbusds", ROOT + ".middleware.RateLimiter -> io.lettuce",
                ROOT + ".config.RouterConfig -> com.fasterxml.jackson.dataformat.yaml");
    }
}
