package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router calls a subgraph over HTTPS with a CA of the test's own, h2 chosen by ALPN, mutual TLS, and h2c with
 * prior knowledge, as subgraph_connections says: the products sample behind a TLS-terminating server
 * ({@link TlsProxy}) that records each request's protocol and client certificate, over real sockets.
 */
class SubgraphTlsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String QUERY = "{\"query\":\"{ topProducts(first: 2) { upc name } }\"}";
    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued routerClient;
    private static SampleSubgraphs.Running samples;
    private static TlsProxy products;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.authority("Subgraphs CA");
        routerClient = TestCertificates.client(ca, "router-client");
        samples = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        products = new TlsProxy(samples.get("products").url(), TestCertificates.server(ca, "products"), ca);
    }

    @AfterAll
    static void stop() throws Exception {
        if (products != null) products.close();
        if (samples != null) samples.close();
    }

    @BeforeEach
    void clear() {
        products.clear();
        samples.get("products").requestLog().clear();
    }

    /** The router on the sample supergraph with products at {@code productsUrl}, configured by {@code yaml}. */
    private static VestibuleServer router(Path dir, String productsUrl, String yaml) throws IOException {
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        routerClient.written(dir, "router-client");
        String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
        for (String name : SampleSubgraphs.names()) {
            sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                    name.equals("products") ? productsUrl : samples.get(name).url());
        }
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), yaml));
        return VestibuleServer.start(SupergraphLoader.load(sdl), config, GatewayObserver.NONE, RouterServer.listen("127.0.0.1", 0), List.of());
    }

    private static HttpResponse<String> query(VestibuleServer router) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + "/graphql")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(QUERY)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswered(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = FederatedGraph.JSON.readTree(response.body());
        assertThat(answer.path("errors").isMissingNode()).as(response.body()).isTrue();
        assertThat(answer.path("data").path("topProducts").size()).as(response.body()).isEqualTo(2);
    }

    /** The products fetch failed: an error at its path, nothing reached the sample, no address in the answer. */
    private void assertProductsUnreachable(HttpResponse<String> response) throws IOException {
        JsonNode answer = FederatedGraph.JSON.readTree(response.body());
        assertThat(answer.path("errors").findValuesAsText("code")).as(response.body()).contains("SUBGRAPH_UNREACHABLE");
        assertThat(answer.path("data").path("topProducts").isArray()).as(response.body()).isFalse();
        assertThat(response.body()).doesNotContain("localhost:").doesNotContain("127.0.0.1").doesNotContain("Exception");
        assertThat(samples.get("products").requestLog().totalCount()).isZero();
    }

    private static final String MUTUAL_TLS = """
            subgraph_connections:
              subgraphs:
                products:
                  tls:
                    ca_file: ca.crt
                    cert_file: router-client.crt
                    key_file: router-client.key
            """;

    @Test
    void httpsWithH2AndMutualTls(@TempDir Path dir) throws Exception {
        try (VestibuleServer router = router(dir, products.httpsUrl(), MUTUAL_TLS)) {
            assertAnswered(query(router));
            assertAnswered(query(router));
        }
        assertThat(products.seen()).hasSize(2).allSatisfy(seen -> {
            assertThat(seen.protocol()).isEqualTo("HTTP/2.0");
            assertThat(seen.secure()).isTrue();
            assertThat(seen.clientSubject()).isEqualTo("CN=router-client");
        });
        assertThat(samples.get("products").requestLog().totalCount()).isEqualTo(2);
    }

    @Test
    void http2DisabledSpeaksHttp11OverTls(@TempDir Path dir) throws Exception {
        try (VestibuleServer router = router(dir, products.httpsUrl(), MUTUAL_TLS + "      http2: disable\n")) {
            assertAnswered(query(router));
        }
        assertThat(products.seen()).singleElement().satisfies(seen -> {
            assertThat(seen.protocol()).isEqualTo("HTTP/1.1");
            assertThat(seen.clientSubject()).isEqualTo("CN=router-client");
        });
    }

    @Test
    void withoutAClientCertificateTheSubgraphRefusesTheRouter(@TempDir Path dir) throws Exception {
        // the CA for every subgraph under all:, no client certificate: the proxy wants one
        try (VestibuleServer router = router(dir, products.httpsUrl(), """
                subgraph_connections:
                  all:
                    tls:
                      ca_file: ca.crt
                """)) {
            assertProductsUnreachable(query(router));
        }
        assertThat(products.seen()).isEmpty();
    }

    @Test
    void withoutTheCaTheRouterRefusesTheSubgraphsCertificate(@TempDir Path dir) throws Exception {
        try (VestibuleServer router = router(dir, products.httpsUrl(), "router:\n  introspection: true\n")) {
            assertProductsUnreachable(query(router));
        }
        assertThat(products.seen()).isEmpty();
    }

    @Test
    void h2cWithPriorKnowledge(@TempDir Path dir) throws Exception {
        try (VestibuleServer router = router(dir, products.cleartextUrl(), """
                subgraph_connections:
                  subgraphs:
                    products:
                      http2: prior_knowledge
                """)) {
            assertAnswered(query(router));
        }
        assertThat(products.seen()).singleElement().satisfies(seen -> {
            assertThat(seen.protocol()).isEqualTo("HTTP/2.0");
            assertThat(seen.secure()).isFalse();
        });
        products.clear();
        // by default, over cleartext: HTTP/1.1
        Files.delete(dir.resolve("router.yaml"));
        try (VestibuleServer router = router(dir, products.cleartextUrl(), "router:\n  introspection: true\n")) {
            assertAnswered(query(router));
        }
        assertThat(products.seen()).singleElement().satisfies(seen -> assertThat(seen.protocol()).isEqualTo("HTTP/1.1"));
    }

    @Test
    void rotatedCaAndClientCertificateReachNewConnectionsWithoutARestart(@TempDir Path dir) throws Exception {
        // at start the router trusts another CA and presents that CA's client certificate: each side refuses the other
        TestCertificates.Issued otherCa = TestCertificates.authority("Other CA");
        Files.writeString(dir.resolve("rotating-ca.crt"), otherCa.certificatePem());
        TestCertificates.client(otherCa, "stranger").written(dir, "rotating");
        String yaml = """
                router:
                  subgraph_idle_timeout: 100ms
                subgraph_connections:
                  subgraphs:
                    products:
                      tls:
                        ca_file: rotating-ca.crt
                        cert_file: rotating.crt
                        key_file: rotating.key
                        reload_interval: 100ms
                """;
        try (VestibuleServer router = router(dir, products.httpsUrl(), yaml)) {
            assertProductsUnreachable(query(router));
            // the files rotate (the right CA, a certificate the subgraph trusts); the same router picks them up
            Files.writeString(dir.resolve("rotating-ca.crt"), ca.certificatePem());
            routerClient.written(dir, "rotating");
            HttpResponse<String> answer = query(router);
            for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); !answer.body().contains("\"topProducts\":[")
                    && System.nanoTime() < end; answer = query(router)) {
                Thread.sleep(50);
            }
            assertAnswered(answer);
            assertThat(products.seen()).last().satisfies(seen -> assertThat(seen.clientSubject()).isEqualTo("CN=router-client"));
            // a broken rewrite is refused: new connections (the pooled one is gone after 100 ms) keep the good files' material
            Files.writeString(dir.resolve("rotating.crt"), "not a certificate");
            Thread.sleep(400);
            assertAnswered(query(router));
            Thread.sleep(400);
            assertAnswered(query(router));
        }
    }

    @Test
    void badSettingsStopTheStartNamingTheKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> router(dir, products.httpsUrl(), "subgraph_connections:\n  subgraphs:\n    products:\n      http2: prior_knowledge\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("subgraph_connections.subgraphs.products.http2")
                .hasMessageContaining("prior_knowledge");
        assertThatThrownBy(() -> router(dir, products.httpsUrl(), "subgraph_connections:\n  subgraphs:\n    prodcts:\n      http2: disable\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("subgraph_connections.subgraphs.prodcts")
                .hasMessageContaining("products");
        assertThatThrownBy(() -> router(dir, products.httpsUrl(), "subgraph_connections:\n  all:\n    tls:\n      cert_file: router-client.crt\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("subgraph_connections.all.tls.key_file");
        assertThatThrownBy(() -> router(dir, products.httpsUrl(), "subgraph_connections:\n  all:\n    tls:\n      ca_file: router-client.key\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("subgraph_connections.all.tls.ca_file")
                .hasMessageContaining("router-client.key").hasMessageContaining("private key");
        assertThatThrownBy(() -> router(dir, products.httpsUrl(), "subgraph_connections:\n  all:\n    http2: sometimes\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("negotiate, disable, prior_knowledge");
    }
}
