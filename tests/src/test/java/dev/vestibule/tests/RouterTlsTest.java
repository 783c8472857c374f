package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.ServerCertificates;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and HTTP/2 at the router's listener, over real sockets with certificates made in the test: HTTPS answers over
 * HTTP/1.1 and h2 (ALPN), TLS 1.1 is refused, h2c when enabled, the certificate reloaded on change while an open
 * connection keeps working, a bad change keeps the old one, and mutual TLS refuses a client without a certificate.
 */
class RouterTlsTest {
    private static final String QUERY = "{\"query\":\"{ topProducts(first: 2) { upc reviewCount inStock } }\"}";
    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued serverA;
    private static TestCertificates.Issued serverB;
    private static TestCertificates.Issued client;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.authority("Vestibule Test CA");
        serverA = TestCertificates.server(ca, "router-a");
        serverB = TestCertificates.server(ca, "router-b");
        client = TestCertificates.client(ca, "a-client");
    }

    private static FederatedGraph graph(Path dir, String server) throws IOException {
        return new FederatedGraph(RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), "server:\n" + server)));
    }

    private static String tls(Path dir, TestCertificates.Issued certificate, String more) throws IOException {
        certificate.written(dir, "router");
        return "  tls:\n    cert_file: router.crt\n    key_file: router.key\n" + more;
    }

    private static HttpClient https(SSLContext context, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(context).version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> post(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(QUERY)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswered(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode products = FederatedGraph.JSON.readTree(response.body()).path("data").path("topProducts");
        assertThat(products.size()).as(response.body()).isEqualTo(2);
        assertThat(products.get(0).path("reviewCount").isNumber()).as(response.body()).isTrue();
    }

    @Test
    void httpsAnswersOverHttp11AndH2ChosenByAlpn(@TempDir Path dir) throws Exception {
        try (FederatedGraph graph = graph(dir, tls(dir, serverA, ""))) {
            String url = "https://localhost:" + graph.server.port() + "/graphql";
            SSLContext trusting = TestCertificates.clientContext(ca, null);
            HttpResponse<String> h2 = post(https(trusting, HttpClient.Version.HTTP_2), url);
            assertAnswered(h2);
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            HttpResponse<String> http11 = post(https(trusting, HttpClient.Version.HTTP_1_1), url);
            assertAnswered(http11);
            assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(http11.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(((X509Certificate) http11.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(serverA.certificate().getSerialNumber());
            // the same over OkHttp, whose ALPN is the JDK's too: h2
            OkHttpClient okhttp = okhttp(trusting);
            try (Response response = okhttp.newCall(new Request.Builder().url(url)
                    .post(RequestBody.create(QUERY, MediaType.get("application/json"))).build()).execute()) {
                assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
                assertThat(response.code()).isEqualTo(200);
            }
            // a client that offers only http/1.1 by ALPN gets it (the JDK's client above offers no ALPN for HTTP/1.1)
            try (Response response = okhttp.newBuilder().protocols(List.of(Protocol.HTTP_1_1)).build().newCall(new Request.Builder().url(url)
                    .post(RequestBody.create(QUERY, MediaType.get("application/json"))).build()).execute()) {
                assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
                assertAnswered(response.code(), response.body().string());
            }
            // a Host the certificate does not name is served (a load balancer's or kubelet's probe to the instance's IP)
            try (SSLSocket socket = connect(graph.server.port(), trusting)) {
                assertThat(exchange(socket, "10.1.2.3:4000")).contains("topProducts");
            }
            // a client that does not trust the CA is refused by its own check: the certificate is really the test CA's
            assertThatThrownBy(() -> post(https(SSLContext.getDefault(), HttpClient.Version.HTTP_2), url)).isInstanceOf(SSLHandshakeException.class);
        }
    }

    /** OkHttp trusting the test CA (it wants the trust manager beside the socket factory). */
    private static OkHttpClient okhttp(SSLContext context) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), (X509TrustManager) factory.getTrustManagers()[0]).build();
    }

    /**
     * A TLS 1.1 ClientHello, written byte by byte (the JDK's client refuses to send one at all), gets a fatal
     * protocol_version alert; the same hello saying TLS 1.2 gets a ServerHello, so the refusal is the version's.
     */
    @Test
    void tls11IsRefused(@TempDir Path dir) throws Exception {
        try (FederatedGraph graph = graph(dir, tls(dir, serverA, ""))) {
            int port = graph.server.port();
            byte[] tls12Answer = hello(port, 0x0303);
            assertThat(tls12Answer[0]).as("record type: handshake (ServerHello)").isEqualTo((byte) 0x16);
            byte[] tls11Answer = hello(port, 0x0302);
            assertThat(tls11Answer[0]).as("record type: alert").isEqualTo((byte) 0x15);
            assertThat(tls11Answer[5]).as("alert level: fatal").isEqualTo((byte) 2);
            assertThat(tls11Answer[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        }
    }

    /** Sends a ClientHello of {@code version} with ECDHE-GCM suites and returns the first record of the answer. */
    private static byte[] hello(int port, int version) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xC02B, 0xC02F, 0xC02C, 0xC030, 0xC013, 0xC014, 0x002F, 0x0035};
        short16(body, suites.length * 2);
        for (int suite : suites) short16(body, suite);
        body.write(1);
        body.write(0); // compression: null
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000a, new byte[] {0, 4, 0, 0x17, 0, 0x1d}); // supported_groups: secp256r1, x25519
        extension(extensions, 0x000b, new byte[] {1, 0}); // ec_point_formats: uncompressed
        extension(extensions, 0x000d, new byte[] {0, 8, 4, 3, 8, 4, 4, 1, 2, 1}); // signature_algorithms
        short16(body, extensions.size());
        body.writeBytes(extensions.toByteArray());
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // ClientHello
        handshake.write(body.size() >> 16);
        short16(handshake, body.size());
        handshake.writeBytes(body.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        short16(record, 0x0301);
        short16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(record.toByteArray());
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[5];
            in.readFully(header);
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            byte[] answer = new byte[5 + Math.min(length, 64)];
            System.arraycopy(header, 0, answer, 0, 5);
            in.readFully(answer, 5, answer.length - 5);
            return answer;
        }
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        short16(out, type);
        short16(out, data.length);
        out.writeBytes(data);
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }

    @Test
    void h2cWhenEnabledAndOnlyThen(@TempDir Path dir) throws Exception {
        HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        OkHttpClient priorKnowledge = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try (FederatedGraph graph = graph(dir, "  h2c: true\n")) {
            // the JDK's client asks by Upgrade: h2c on its first request without a body, then keeps the h2 connection
            HttpResponse<String> health = upgrading.send(HttpRequest.newBuilder(URI.create(graph.url().replace("/graphql", "/health")))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
            HttpResponse<String> upgraded = post(upgrading, graph.url());
            assertAnswered(upgraded);
            assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
            try (Response response = priorKnowledge.newCall(new Request.Builder().url(graph.url())
                    .post(RequestBody.create(QUERY, MediaType.get("application/json"))).build()).execute()) {
                assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
                assertAnswered(response.code(), response.body().string());
            }
        }
        Files.delete(dir.resolve("router.yaml"));
        try (FederatedGraph graph = graph(dir, "  body_read_timeout: 10s\n")) {
            HttpClient another = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> health = another.send(HttpRequest.newBuilder(URI.create(graph.url().replace("/graphql", "/health")))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.version()).as("without h2c the upgrade is declined").isEqualTo(HttpClient.Version.HTTP_1_1);
            assertAnswered(post(another, graph.url()));
            assertThatThrownBy(() -> priorKnowledge.newCall(new Request.Builder().url(graph.url())
                    .post(RequestBody.create(QUERY, MediaType.get("application/json"))).build()).execute().close())
                    .isInstanceOf(IOException.class);
        }
    }

    private static void assertAnswered(int status, String body) throws IOException {
        assertThat(status).as(body).isEqualTo(200);
        assertThat(FederatedGraph.JSON.readTree(body).path("data").path("topProducts").size()).as(body).isEqualTo(2);
    }

    /** One HTTP/1.1 exchange on an open connection; the connection stays open (keep-alive). */
    private static String exchange(SSLSocket socket) throws IOException {
        return exchange(socket, "localhost");
    }

    private static String exchange(SSLSocket socket, String host) throws IOException {
        byte[] body = QUERY.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /graphql HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("the connection closed");
            head.append((char) b);
        }
        int length = -1;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        assertThat(length).as(head.toString()).isPositive();
        byte[] answer = in.readNBytes(length);
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        return new String(answer, StandardCharsets.UTF_8);
    }

    private static SSLSocket connect(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    private static BigInteger servedSerial(int port, SSLContext context) throws IOException {
        try (SSLSocket socket = connect(port, context)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aChangedCertificateIsServedToNewConnectionsWhileAnOpenOneKeepsWorking(@TempDir Path dir) throws Exception {
        try (FederatedGraph graph = graph(dir, tls(dir, serverA, "    reload_interval: 100ms\n"))) {
            int port = graph.server.port();
            ServerCertificates certificates = graph.server.certificates();
            SSLContext trusting = TestCertificates.clientContext(ca, null);
            try (SSLSocket open = connect(port, trusting)) {
                assertThat(exchange(open)).contains("topProducts");
                serverB.written(dir, "router");
                await("the new certificate is served", () -> certificates.reloads() >= 1);
                assertThat(servedSerial(port, trusting)).isEqualTo(serverB.certificate().getSerialNumber());
                // the connection opened before the change is still served, with the certificate it began with
                assertThat(exchange(open)).contains("topProducts");
                assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber())
                        .isEqualTo(serverA.certificate().getSerialNumber());
            }
        }
    }

    @Test
    void aBadChangeKeepsTheOldCertificateAndSaysWhy(@TempDir Path dir) throws Exception {
        try (FederatedGraph graph = graph(dir, tls(dir, serverA, "    reload_interval: 100ms\n"))) {
            int port = graph.server.port();
            ServerCertificates certificates = graph.server.certificates();
            SSLContext trusting = TestCertificates.clientContext(ca, null);
            Path cert = dir.resolve("router.crt");
            Files.writeString(cert, "this is not a certificate\n");
            await("the broken file is refused", () -> certificates.failedReloads() >= 1);
            assertThat(certificates.lastProblem()).contains(cert.toString()).contains("not PEM");
            assertThat(servedSerial(port, trusting)).isEqualTo(serverA.certificate().getSerialNumber());
            // a new certificate beside the old key: refused, the key does not match
            Files.writeString(cert, serverB.certificatePem());
            await("the mismatched key is refused", () -> certificates.failedReloads() >= 2);
            assertThat(certificates.lastProblem()).contains(dir.resolve("router.key").toString()).contains("does not match");
            assertThat(servedSerial(port, trusting)).isEqualTo(serverA.certificate().getSerialNumber());
            assertAnswered(post(https(trusting, HttpClient.Version.HTTP_2), "https://localhost:" + port + "/graphql"));
            assertThat(certificates.reloads()).isZero();
            // the key arrives: both together are served
            serverB.written(dir, "router");
            await("the complete change is served", () -> certificates.reloads() >= 1);
            assertThat(servedSerial(port, trusting)).isEqualTo(serverB.certificate().getSerialNumber());
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificate(@TempDir Path dir) throws Exception {
        // an RSA certificate with its key in PKCS#1 (-----BEGIN RSA PRIVATE KEY-----), as older openssl writes it
        TestCertificates.Issued rsa = TestCertificates.server(ca, "router-rsa", TestCertificates.rsaKeys(), Duration.ofDays(30));
        Files.writeString(dir.resolve("router.crt"), rsa.certificatePem());
        Files.writeString(dir.resolve("router.key"), rsa.pkcs1Pem());
        Files.writeString(dir.resolve("clients-ca.crt"), ca.certificatePem());
        String server = "  tls:\n    cert_file: router.crt\n    key_file: router.key\n    client_ca_file: clients-ca.crt\n";
        try (FederatedGraph graph = graph(dir, server)) {
            String url = "https://localhost:" + graph.server.port() + "/graphql";
            HttpResponse<String> withCertificate = post(https(TestCertificates.clientContext(ca, client), HttpClient.Version.HTTP_2), url);
            assertAnswered(withCertificate);
            assertThat(withCertificate.version()).isEqualTo(HttpClient.Version.HTTP_2);
            long subgraphCalls = graph.totalSubgraphRequests();
            // refused in the handshake: the client sees the certificate_required alert, or (TLS 1.3 lets it write
            // first) the connection closed under its request; never an answer, never a wait for a timeout
            assertRefused(() -> post(https(TestCertificates.clientContext(ca, null), HttpClient.Version.HTTP_2), url));
            assertRefused(() -> post(https(TestCertificates.clientContext(ca, null), HttpClient.Version.HTTP_1_1), url));
            // a certificate from another CA is refused too
            TestCertificates.Issued stranger = TestCertificates.client(TestCertificates.authority("Another CA"), "stranger");
            assertRefused(() -> post(https(TestCertificates.clientContext(ca, stranger), HttpClient.Version.HTTP_1_1), url));
            assertThat(graph.totalSubgraphRequests()).isEqualTo(subgraphCalls);
        }
    }

    private static void assertRefused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void badFilesStopTheStartNamingTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        serverA.written(dir, "router");
        serverB.written(dir, "other");
        Path config = dir.resolve("router.yaml");
        Files.writeString(config, "server:\n  tls:\n    cert_file: router.crt\n    key_file: other.key\n");
        assertThatThrownBy(() -> RouterConfig.load(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.tls").hasMessageContaining(dir.resolve("other.key").toString()).hasMessageContaining("does not match");
        Files.writeString(dir.resolve("broken.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Files.writeString(config, "server:\n  tls:\n    cert_file: broken.crt\n    key_file: router.key\n");
        assertThatThrownBy(() -> RouterConfig.load(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("broken.crt").toString()).hasMessageContaining("not a valid X.509 certificate");
        Files.writeString(config, "server:\n  tls:\n    cert_file: router.crt\n    key_file: missing.key\n");
        assertThatThrownBy(() -> RouterConfig.load(config)).hasMessageContaining(dir.resolve("missing.key").toString())
                .hasMessageContaining("no such file");
        Files.writeString(config, "server:\n  h2c: true\n  tls:\n    cert_file: router.crt\n    key_file: router.key\n");
        assertThatThrownBy(() -> RouterConfig.load(config)).hasMessageContaining("server.h2c");
    }
}
