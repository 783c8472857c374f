package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.ClientFaults;
import dev.vestibule.router.http.ServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 #7: anyone can abort uploads or leave a body half sent, as often as they like. Before, each one logged an
 * ERROR with a stack trace (100 aborted uploads: 232 KB of log) and an idle body got 500 after Jetty's 30 s idle
 * timeout. Now each is counted, logged in one line at most every few seconds, and an idle body gets 408.
 */
class ClientFaultLoggingTest {
    private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS,
            ServerSettings.DEFAULTS.withBodyReadTimeout(BODY_READ_TIMEOUT));

    /** Headers announcing a 2,000-byte JSON body, then the first 100 bytes of it. */
    private static void sendHalfABody(OutputStream out) throws IOException {
        String body = "{\"query\":\"{ me { username } }\", \"variables\": {\"padding\": \"" + "x".repeat(1_950) + "\"}}";
        out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body.substring(0, 100).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void abortedUploadsAreCountedNotLoggedOneByOne() throws Exception {
        try (LogCapture log = new LogCapture()) {
            long before = graph.server.clientFaults().count(ClientFaults.Kind.ABORTED_BODY);
            for (int i = 0; i < 100; i++) {
                try (Socket socket = new Socket("127.0.0.1", graph.server.port())) {
                    if (i % 2 == 0) socket.setSoLinger(true, 0); // half of them reset the connection, half close it
                    sendHalfABody(socket.getOutputStream());
                    Thread.sleep(5); // the router starts reading the body before the client goes
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (graph.server.clientFaults().count(ClientFaults.Kind.ABORTED_BODY) - before < 100 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(graph.server.clientFaults().count(ClientFaults.Kind.ABORTED_BODY) - before).as("aborted bodies counted").isEqualTo(100);
            Thread.sleep(200); // anything logged late by Jetty
            System.out.println("log for 100 aborted uploads: " + log.bytes() + " bytes, " + log.entries().size() + " entries:\n" + log.text());
            assertThat(log.text()).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(log.entries()).as("log entries").hasSizeLessThanOrEqualTo(2);
            assertThat(log.bytes()).as("log bytes").isLessThan(1_000);
        }
    }

    @Test
    void anIdleBodyGets408AndOneLine() throws Exception {
        try (LogCapture log = new LogCapture()) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket socket = new Socket("127.0.0.1", graph.server.port());
                    socket.setSoTimeout(30_000);
                    sockets.add(socket);
                    sendHalfABody(socket.getOutputStream());
                }
                for (Socket socket : sockets) {
                    long started = System.nanoTime();
                    String answer = readAnswer(socket.getInputStream());
                    long waitedMs = (System.nanoTime() - started) / 1_000_000;
                    assertThat(answer).startsWith("HTTP/1.1 408");
                    assertThat(answer.toLowerCase()).contains("connection: close").contains("x-request-id:");
                    JsonNode body = FederatedGraph.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                    assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("REQUEST_TIMEOUT");
                    // generous: the timeout is 1 s; Jetty's idle timeout (30 s) is what answered before
                    assertThat(waitedMs).as("ms until the 408").isLessThan(15_000);
                }
            } finally {
                for (Socket socket : sockets) socket.close();
            }
            assertThat(log.text()).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(log.entries()).hasSizeLessThanOrEqualTo(2);
        }
    }

    /** The whole answer, up to the server closing the connection (Connection: close). */
    private static String readAnswer(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
