package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.http.RouterServer;
import org.junit.jupiter.api.Test;

/** In development mode a request can ask for its query plan; in production the header does nothing. */
class DevModeTest {
    private static final String BODY = "{\"query\": \"{ me { username reviews(first: 1) { rating } } }\"}";

    @Test
    void theDebugHeaderReturnsThePlanInDevelopmentMode() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            JsonNode answer = FederatedGraph.JSON.readTree(graph.postRaw(BODY, null, RouterServer.PLAN_HEADER, "true").body());
            assertThat(answer.at("/data/me/username").isTextual()).isTrue();
            assertThat(answer.at("/extensions/queryPlan").asText())
                    .contains("Fetch(service: \"accounts\")", "Flatten(path: \"me\")", "Fetch(service: \"reviews\")");
            JsonNode plain = FederatedGraph.JSON.readTree(graph.postRaw(BODY, null).body());
            assertThat(plain.has("extensions")).isFalse();
        }
    }

    @Test
    void theHeaderIsIgnoredOutsideDevelopmentMode() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS)) {
            JsonNode answer = FederatedGraph.JSON.readTree(graph.postRaw(BODY, null, RouterServer.PLAN_HEADER, "true").body());
            assertThat(answer.at("/data/me/username").isTextual()).isTrue();
            assertThat(answer.has("extensions")).isFalse();
        }
    }
}
