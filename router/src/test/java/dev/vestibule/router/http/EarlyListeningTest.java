package dev.vestibule.router.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The listening socket is bound before the router is made: a client that connects meanwhile waits, then is answered. */
class EarlyListeningTest {
    private static final Path SUPERGRAPH = Path.of("..", "schemas", "supergraph.graphql");

    @Test
    void aRequestSentBeforeTheServerStartsIsAnsweredOnceItHasStarted() throws Exception {
        try (ServerSocketChannel socket = RouterServer.listen("127.0.0.1", 0); // closed again with the server: harmless
             Socket client = new Socket("127.0.0.1", ((InetSocketAddress) socket.getLocalAddress()).getPort())) {
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            byte[] body = "{\"query\":\"{ __typename }\"}".getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read())
                    .as("no answer while there is no router").isInstanceOf(SocketTimeoutException.class);

            RouterSettings settings = RouterSettings.DEFAULTS;
            Router router = new Router(SupergraphLoader.load(Files.readString(SUPERGRAPH)), settings);
            try (RouterServer server = RouterServer.start(router, settings, EdgePolicy.open(), socket)) {
                assertThat(server.port()).isEqualTo(port);
                client.setSoTimeout(10_000);
                String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"data\":{\"__typename\":\"Query\"}}");
            } finally {
                router.close();
            }
        }
    }

    @Test
    void aPortInUseIsReportedBeforeAnythingIsLoaded() throws Exception {
        try (ServerSocketChannel taken = RouterServer.listen("127.0.0.1", 0)) {
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertThatThrownBy(() -> RouterServer.listen("127.0.0.1", port))
                    .hasMessage("port " + port + " is already in use; choose another with --port N");
        }
    }
}
