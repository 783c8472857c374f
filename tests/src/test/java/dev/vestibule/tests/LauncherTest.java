package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./vestibule launcher as a user meets it: its help, one clear line for each thing it cannot do, and the demo
 * (sample subgraphs, the router and both BFF modules, the curl lines it prints run as printed).
 */
class LauncherTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exitCode, String stdout, String stderr) {}

    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>(List.of("bash", ROOT.resolve("vestibule").toString()));
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

    @Test
    void demoMountsBothBffModulesAndItsPrintedCurlLinesAnswer(@TempDir Path dir) throws Exception {
        int basePort = freePortBlock(5);
        Path out = dir.resolve("demo.out");
        // the jars the reactor built (the launcher builds only what is missing or older than its sources)
        Process demo = new ProcessBuilder("bash", ROOT.resolve("vestibule").toString(), "demo", "--port", "0",
                "--base-port", Integer.toString(basePort))
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            String printed = "";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!printed.contains("Another user's token") && System.nanoTime() < until && demo.isAlive()) {
                Thread.sleep(250);
                printed = Files.readString(out);
            }
            assertThat(printed).as("the demo's output").contains("BFF modules mounted: bff-mobile at /mobile, bff-web at /web");
            List<String> curls = printed.lines().map(String::strip).filter(l -> l.startsWith("curl -s ")).toList();
            String home = curls.stream().filter(l -> l.contains("/mobile/v1/home")).findFirst().orElseThrow();
            String login = curls.stream().filter(l -> l.contains("/web/login")).findFirst().orElseThrow();
            String dashboard = curls.stream().filter(l -> l.contains("/web/dashboard")).findFirst().orElseThrow();
            assertThat(home).contains("authorization: Bearer ey");
            assertThat(login).contains(" -c ");
            assertThat(dashboard).contains(" -b ");

            Run homeRun = shell(home + " -w '\\n%{http_code}'");
            assertThat(lastLine(homeRun.stdout())).as(homeRun.stdout()).isEqualTo("200");
            // the token's user is signed in (the router verified it and forwarded its subject), and the products came
            assertThat(homeRun.stdout()).contains("\"user\":\"", "\"products\":[{\"upc\"", "\"thumb\"");

            Run loginRun = shell(login + " -w '\\n%{http_code}'");
            assertThat(lastLine(loginRun.stdout())).as(loginRun.stdout()).isEqualTo("200");
            assertThat(loginRun.stdout()).contains("\"csrfToken\"");
            Run dashboardRun = shell(dashboard + " -w '\\n%{http_code}'");
            assertThat(lastLine(dashboardRun.stdout())).as(dashboardRun.stdout()).isEqualTo("200");
            assertThat(dashboardRun.stdout()).contains("\"user\":{\"id\":\"u1\"", "\"topProducts\"", "\"featuredMedia\"");
            // the dashboard needs the session: the same line without the cookie jar is refused
            Run anonymous = shell(dashboard.replaceFirst(" -b \\S+", "") + " -o /dev/null -w '%{http_code}'");
            assertThat(anonymous.stdout().strip()).isEqualTo("401");
        } finally {
            demo.destroy(); // SIGTERM: the launcher stops the router and the subgraphs
            if (!demo.waitFor(60, TimeUnit.SECONDS)) demo.destroyForcibly();
        }
    }

    /** A line of the demo's output, run in the repository as a user pastes it. */
    private static Run shell(String line) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", line).directory(ROOT.toFile()).start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("curl finished").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The first of {@code count} consecutive ports that are free now (the samples take ports base..base+4). */
    private static int freePortBlock(int count) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) held.add(new ServerSocket(base + i, 50, InetAddress.getLoopbackAddress()));
                return base;
            } catch (IOException taken) {
                // try another block
            } finally {
                for (ServerSocket socket : held) socket.close();
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }
}
