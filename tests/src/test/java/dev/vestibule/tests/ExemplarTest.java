package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.config.RouterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exemplars link the duration histograms' buckets to traces: a scrape that asks for OpenMetrics gets, on the bucket a
 * sampled request fell in, the trace and span id of that request's server span (http.server.request.duration) or of
 * its subgraph fetch's span (http.client.request.duration), the very ids the exported spans carry. Over real sockets:
 * the router with the sample subgraphs, its spans read from the JSON-lines trace file.
 */
class ExemplarTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A bucket sample with an exemplar: name, labels, value, then "# {labels} value [timestamp]". */
    private static final Pattern EXEMPLAR = Pattern.compile(
            "^(\\w+)_bucket\\{([^}]*)} \\S+ # \\{span_id=\"([0-9a-f]{16})\",trace_id=\"([0-9a-f]{32})\"} (\\S+)(?: \\S+)?$");

    record Exemplar(String metric, String labels, String spanId, String traceId, double value) {}

    private static List<Exemplar> exemplars(String exposition) {
        List<Exemplar> found = new ArrayList<>();
        for (String line : exposition.lines().toList()) {
            Matcher m = EXEMPLAR.matcher(line);
            if (m.matches()) found.add(new Exemplar(m.group(1), m.group(2), m.group(3), m.group(4), Double.parseDouble(m.group(5))));
        }
        return found;
    }

    private static HttpResponse<String> scrape(String url, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (accept != null) request.header("accept", accept);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anExemplarsTraceAndSpanIdsAreThoseOfTheRequestsExportedSpans(@TempDir Path dir) throws Exception {
        Path spansFile = dir.resolve("spans.jsonl");
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                telemetry:
                  metrics: {}
                  tracing: { file: spans.jsonl, sampling_ratio: 1, batch: { schedule_delay: 100ms } }
                """));
        String openMetrics;
        String prometheusText;
        try (FederatedGraph graph = new FederatedGraph(config)) {
            // no traceparent from the client: the router starts the trace, and samples it (ratio 1)
            HttpResponse<String> answer = graph.postRaw("{\"query\":\"{ me { username } }\"}", "application/json");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(graph.subgraph("accounts").requestLog().entries()).hasSize(1);
            String metricsUrl = graph.url().replace("/graphql", "/metrics");
            HttpResponse<String> scraped = scrape(metricsUrl, "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(scraped.headers().firstValue("content-type").orElse("")).startsWith("application/openmetrics-text");
            openMetrics = scraped.body();
            prometheusText = scrape(metricsUrl, null).body();
        } // closing the router writes the queued spans

        Map<String, JsonNode> spansById = new HashMap<>();
        for (String line : Files.readAllLines(spansFile)) {
            if (line.isBlank()) continue;
            JsonNode span = FederatedGraph.JSON.readTree(line);
            spansById.put(span.get("spanId").asText(), span);
        }
        JsonNode server = spansById.values().stream().filter(s -> s.get("kind").asText().equals("SERVER")).findFirst().orElseThrow();
        JsonNode fetch = spansById.values().stream().filter(s -> s.get("name").asText().equals("graphql.subgraph.fetch")).findFirst()
                .orElseThrow();
        String traceId = server.get("traceId").asText();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));

        List<Exemplar> exemplars = exemplars(openMetrics);
        Exemplar request = exemplars.stream().filter(e -> e.metric().equals("http_server_request_duration_seconds")).findFirst()
                .orElseThrow(() -> new AssertionError("no exemplar on http_server_request_duration_seconds in\n" + openMetrics));
        assertThat(request.traceId()).isEqualTo(traceId);
        assertThat(request.spanId()).isEqualTo(server.get("spanId").asText());
        assertThat(request.labels()).contains("http_response_status_code=\"200\"");
        // the exemplar's value is the request's duration, and it sits on a bucket at least that large
        Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(request.labels());
        assertThat(le.find()).isTrue();
        double upper = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        assertThat(request.value()).isPositive().isLessThanOrEqualTo(upper);

        Exemplar call = exemplars.stream().filter(e -> e.metric().equals("http_client_request_duration_seconds")).findFirst()
                .orElseThrow(() -> new AssertionError("no exemplar on http_client_request_duration_seconds in\n" + openMetrics));
        assertThat(call.traceId()).isEqualTo(traceId);
        assertThat(call.spanId()).isEqualTo(fetch.get("spanId").asText());
        assertThat(call.labels()).contains("subgraph_name=\"accounts\"");

        // each exemplar of this one request is of its trace, and the Prometheus text format carries none
        assertThat(exemplars).allSatisfy(e -> assertThat(e.traceId()).isEqualTo(traceId));
        assertThat(prometheusText).contains("http_server_request_duration_seconds_bucket").doesNotContain("trace_id");
    }

    @Test
    void aRequestWhoseTraceIsNotSampledLeavesNoExemplar(@TempDir Path dir) throws Exception {
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                telemetry:
                  metrics: {}
                  tracing: { file: spans.jsonl, sampling_ratio: 1 }
                """));
        try (FederatedGraph graph = new FederatedGraph(config)) {
            // the client's traceparent says not sampled; parent-based sampling follows it
            String unsampled = "11112222333344445555666677778888";
            HttpResponse<String> answer = graph.postRaw("{\"query\":\"{ me { username } }\"}", "application/json",
                    "traceparent", "00-" + unsampled + "-00f067aa0ba902b7-00");
            assertThat(answer.statusCode()).isEqualTo(200);
            String openMetrics = scrape(graph.url().replace("/graphql", "/metrics"), "application/openmetrics-text").body();
            assertThat(openMetrics).contains("http_server_request_duration_seconds_count{");
            assertThat(exemplars(openMetrics)).isEmpty();
            assertThat(openMetrics).doesNotContain(unsampled);
        }
    }
}
