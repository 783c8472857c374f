package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A reference gateway whose Node process dies (Hive Gateway 2.10.4 dies of an uncaught TypeError on some operations,
 * which stopped a 2,300-operation run after 1,500) gives no answer for that operation, is started again with its
 * supergraphs, and answers the next one as before: the differential run goes on. Over real sockets: the sample
 * subgraphs, Apollo Gateway in its Node process.
 */
class ReferenceGatewayRestartTest {
    private static final String QUERY = "{ topProducts(first: 2) { upc name } }";

    @Test
    void aReferenceThatDiedIsStartedAgainWithItsSupergraphAndAnswersTheNextOperation() throws Exception {
        if (!ReferenceGateway.available()) {
            if (System.getenv("CI") != null) fail("node and npm are needed for the reference gateways");
            Assumptions.abort("node/npm not found: the reference gateway's restart is not tested");
        }
        try (SampleGraph graph = new SampleGraph(Path.of("..", "schemas", "supergraph.graphql"));
             ReferenceGateway apollo = ReferenceGateway.start(ReferenceGateway.Kind.APOLLO)) {
            apollo.load("samples", graph.target().supergraphSdl());
            JsonNode before = apollo.query("samples", QUERY, Map.of());
            assertThat(before.at("/data/topProducts/1/upc").isTextual()).as(before.toString()).isTrue();

            apollo.crash();
            assertThatThrownBy(() -> apollo.query("samples", QUERY, Map.of()))
                    .isInstanceOf(ReferenceGateway.NoAnswer.class)
                    .hasMessageContaining("Apollo Gateway: the process died")
                    .satisfies(e -> assertThat(((ReferenceGateway.NoAnswer) e).restarted()).isTrue());
            assertThat(apollo.restarts()).isEqualTo(1);

            JsonNode after = apollo.query("samples", QUERY, Map.of());
            assertThat(after).isEqualTo(before);
        }
    }
}
