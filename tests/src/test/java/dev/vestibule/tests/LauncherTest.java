package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./vestibule launcher as a user meets it: its help, and one clear line for each thing it cannot do. */
class LauncherTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exitCode, String stdout, String stderr) {}

    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<String>(List.of("bash", ROOT.resolve("vestibule").toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Run run = launch(Map.of(), "help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("demo", "subgraph", "test", "build", "help");
    }

    @Test
    void unknownCommandIsOneClearLine() throws Exception {
        Run run = launch(Map.of(), "frobnicate");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr().strip()).isEqualTo("vestibule: unknown command 'frobnicate'; run ./vestibule help for the list");
    }

    @Test
    void missingJdkSaysWhatToInstall(@TempDir Path emptyJvmDir) throws Exception {
        // Only a JDK 17 (or nothing) visible: JAVA_HOME and PATH point at nothing usable, the JVM folder is empty.
        Path fakeJavaHome = Files.createDirectories(emptyJvmDir.resolve("old-jdk/bin"));
        Path java = fakeJavaHome.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
        java.toFile().setExecutable(true);
        Run run = launch(Map.of(
                "JAVA_HOME", emptyJvmDir.resolve("old-jdk").toString(),
                "PATH", fakeJavaHome + ":/usr/bin:/bin",
                "VESTIBULE_JVM_DIR", emptyJvmDir.resolve("none").toString()), "subgraph", "accounts");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr().lines().toList()).hasSize(1);
        assertThat(run.stderr()).contains("no JDK 21 or newer found").contains("JAVA_HOME");
        assertThat(run.stderr()).doesNotContain("Exception");
    }
}
