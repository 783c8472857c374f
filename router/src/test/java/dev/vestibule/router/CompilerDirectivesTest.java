package dev.vestibule.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * router/compiler-directives.json, which ./vestibule serve passes to the JVM: a file that does not parse stops the
 * router from starting, and a method renamed in the code would silently fall out of it.
 */
class CompilerDirectivesTest {
    private static final Path DIRECTIVES = Path.of("compiler-directives.json");
    private static final Pattern METHOD = Pattern.compile("\"([\\w/$]+)\\.([\\w$<>*]+)\"");

    @Test
    void theJvmReadsTheFile() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath(), "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("2 compiler directives added");
    }

    @Test
    void everyMethodItNamesExists() throws Exception {
        List<String> missing = new ArrayList<>();
        Matcher matcher = METHOD.matcher(Files.readString(DIRECTIVES));
        int named = 0;
        while (matcher.find()) {
            String className = matcher.group(1).replace('/', '.');
            String method = matcher.group(2);
            if (className.contains("$$Lambda")) continue; // the JVM's own classes for lambdas: matched by pattern
            named++;
            Class<?> type = Class.forName(className, false, getClass().getClassLoader());
            String prefix = method.endsWith("*") ? method.substring(0, method.length() - 1) : null;
            boolean found = Arrays.stream(type.getDeclaredMethods()).map(Method::getName)
                    .anyMatch(name -> prefix == null ? name.equals(method) : name.startsWith(prefix));
            if (!found) missing.add(className + "." + method);
        }
        assertThat(named).isGreaterThan(10);
        assertThat(missing).as("methods named in %s that no longer exist", DIRECTIVES).isEmpty();
    }
}
