package dev.vestibule.tests.bench;

import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.tests.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * What TLS costs per request at the router's listener, in one interleaved run on one client thread: GET /health
 * (no subgraph, so only the connection and the protocol differ) over a new cleartext connection, a new TLS connection
 * (a full TLS 1.3 handshake, ECDSA P-256, no resumption: each session is invalidated), kept connections over
 * cleartext and TLS (HTTP/1.1 written by hand), and HTTP/1.1 against h2 over TLS with the same client (the JDK's). Client and router share the machine, so a handshake's time holds both
 * sides' work. Run with tests/bench/tls-bench.sh.
 */
public final class TlsBenchmark {
    private static final byte[] HEALTH_CLOSE = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("vestibule-tls-bench");
        TestCertificates.Issued ca = TestCertificates.authority("Bench CA");
        TestCertificates.server(ca, "router").written(dir, "router");
        var supergraph = SupergraphLoader.load(Files.readString(Path.of("schemas", "supergraph.graphql")));
        RouterConfig tlsConfig = RouterConfig.load(Files.writeString(dir.resolve("tls.yaml"),
                "server:\n  tls:\n    cert_file: router.crt\n    key_file: router.key\n"));
        try (VestibuleServer plain = VestibuleServer.start(supergraph, RouterConfig.DEFAULTS, "127.0.0.1", 0);
             VestibuleServer tls = VestibuleServer.start(supergraph, tlsConfig, "127.0.0.1", 0)) {
            SSLContext trusting = TestCertificates.clientContext(ca, null);
            HttpClient h2 = HttpClient.newBuilder().sslContext(trusting).version(HttpClient.Version.HTTP_2).build();
            HttpClient http11 = HttpClient.newBuilder().sslContext(trusting).version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest h2Request = HttpRequest.newBuilder(URI.create("https://localhost:" + tls.port() + "/health")).GET().build();
            Map<String, Step> steps = new LinkedHashMap<>();
            steps.put("cleartext, new connection", () -> closeAfter(new Socket("127.0.0.1", plain.port())));
            SSLContext handshakes = TestCertificates.clientContext(ca, null);
            steps.put("TLS 1.3, new connection (full handshake)", () -> {
                SSLSocket socket = (SSLSocket) handshakes.getSocketFactory().createSocket("127.0.0.1", tls.port());
                // an invalidated session is never resumed: every handshake is a full one
                socket.getSession().invalidate();
                closeAfter(socket);
            });
            steps.put("TLS 1.3, handshake only (then closed)", () -> {
                try (SSLSocket socket = (SSLSocket) handshakes.getSocketFactory().createSocket("127.0.0.1", tls.port())) {
                    socket.getSession().invalidate();
                }
            });
            SSLSocket kept = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", tls.port());
            Socket keptPlain = new Socket("127.0.0.1", plain.port());
            steps.put("cleartext, kept connection (HTTP/1.1)", () -> keepAlive(keptPlain));
            steps.put("TLS, kept connection (HTTP/1.1)", () -> keepAlive(kept));
            steps.put("TLS, HTTP/1.1 (JDK client, kept connection)", () -> {
                HttpResponse<String> response = http11.send(h2Request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || response.version() != HttpClient.Version.HTTP_1_1) throw new IOException("not 1.1 200");
            });
            steps.put("TLS, h2 (JDK client, one connection)", () -> {
                HttpResponse<String> response = h2.send(h2Request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || response.version() != HttpClient.Version.HTTP_2) throw new IOException("not h2 200");
            });
            Map<String, List<Double>> micros = new LinkedHashMap<>();
            for (String name : steps.keySet()) micros.put(name, new ArrayList<>());
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                for (Map.Entry<String, Step> step : steps.entrySet()) {
                    long start = System.nanoTime();
                    for (int i = 0; i < perRound; i++) step.getValue().run();
                    double perRequest = (System.nanoTime() - start) / 1_000.0 / perRound;
                    if (round >= 0) micros.get(step.getKey()).add(perRequest);
                }
            }
            kept.close();
            keptPlain.close();
            double base = median(micros.get("cleartext, kept connection (HTTP/1.1)"));
            System.out.printf("%d rounds x %d requests per step, interleaved; median of the rounds' means%n", rounds, perRound);
            for (Map.Entry<String, List<Double>> entry : micros.entrySet()) {
                double median = median(entry.getValue());
                System.out.printf("%-45s %9.1f us/request  %6.2f x cleartext kept%n", entry.getKey(), median, median / base);
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static void closeAfter(Socket socket) throws IOException {
        try (socket) {
            // as HTTP clients do (curl, OkHttp, the JDK's): without it, the request written right after the TLS
            // Finished waits for the router's delayed ACK (40 ms on Linux) under Nagle's algorithm
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(HEALTH_CLOSE);
            socket.getOutputStream().flush();
            byte[] all = socket.getInputStream().readAllBytes();
            if (all.length < 12 || all[9] != '2') throw new IOException("not 200");
        }
    }

    private static void keepAlive(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(HEALTH);
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
        }
        in.readNBytes(length);
        if (!head.toString().startsWith("HTTP/1.1 200")) throw new IOException(head.toString());
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
