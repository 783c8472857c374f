package dev.vestibule.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server of the test's own, on a free 127.0.0.1 port, that a test can stop and start again (for
 * fail-open / fail-closed and recovery). Needs Debian's redis-server on the PATH; .ci/run installs it.
 */
final class RedisProcess implements AutoCloseable {
    final int port;
    private Process process;

    RedisProcess() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        start();
    }

    static boolean installed() {
        return List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    /** In CI (where .ci/run installs it) a missing redis-server fails the test; elsewhere the test is skipped. */
    static void requireInstalled() {
        if (installed()) return;
        if (System.getenv("CI") != null) throw new AssertionError("redis-server is needed (.ci/run installs it)");
        Assumptions.abort("redis-server not installed");
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void start() throws IOException {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) stop();
    }
}
