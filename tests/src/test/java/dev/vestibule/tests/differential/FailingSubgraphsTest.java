package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault injection's targets: one per subgraph, exactly that one's URL moved to a server that fails every request. */
class FailingSubgraphsTest {

    @Test
    void eachSubgraphFailsInATargetOfItsOwnOverRealSockets() throws Exception {
        String sdl = Files.readString(Path.of("../schemas/supergraph.graphql"));
        try (FailingSubgraphs failing = new FailingSubgraphs()) {
            List<DifferentialRunner.Target> targets = failing.each(new DifferentialRunner.Target("samples", sdl));
            assertThat(targets).extracting(DifferentialRunner.Target::name)
                    .containsExactly("samples.accounts-fails", "samples.inventory-fails", "samples.media-fails", "samples.products-fails",
                            "samples.reviews-fails");
            DifferentialRunner.Target products = targets.get(3);
            assertThat(products.supergraphSdl()).contains("url: \"http://127.0.0.1:4001/graphql\"")
                    .doesNotContain("url: \"http://127.0.0.1:4002/graphql\"");
            String url = products.supergraphSdl().replaceAll("(?s).*name: \"products\", url: \"([^\"]+)\".*", "$1");
            assertThat(url).endsWith("/samples/products");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.body()).isEqualTo(FailingSubgraphs.BODY);
            assertThat(failing.requests()).isEqualTo(1);
            assertThat(failing.vestibuleRequests()).as("not OkHttp: not Vestibule").isZero();
        }
    }

    @Test
    void anAnswerWithoutErrorsWhileAFailingSubgraphWasAskedIsASilentFailure() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Answer quiet = Answer.of(json.readTree("{\"data\":{\"users\":[null]}}"), 1);
        Answer told = Answer.of(json.readTree("{\"data\":{\"users\":[null]},\"errors\":[{\"message\":\"subgraph 'a' failed\"}]}"), 1);
        assertThat(DifferentialRunner.silentFailure(quiet, 1)).isTrue();
        assertThat(DifferentialRunner.silentFailure(told, 1)).isFalse();
        assertThat(DifferentialRunner.silentFailure(quiet, 0)).as("the failing subgraph was not asked").isFalse();
        assertThat(DifferentialRunner.silentFailure(Answer.none("no answer", 1), 1)).as("no answer is another difference").isFalse();
    }
}
