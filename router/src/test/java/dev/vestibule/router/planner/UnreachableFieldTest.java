package dev.vestibule.router.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A field no fetch can reach is a planning error, never a silently missing field. Here (the audit's
 * non-resolvable-interface-object suite) Node.field lives only in subgraph b, where Node is an @interfaceObject with
 * a non-resolvable key: from a's Node, which has no implementations to ask through, nothing can get it.
 */
class UnreachableFieldTest {
    private static final Path SUPERGRAPH = Path.of("src", "test", "resources", "supergraphs", "non-resolvable-interface-object.graphql");

    @Test
    void aFieldBehindANonResolvableInterfaceObjectCannotBePlanned() {
        try (Router router = new Router(SupergraphLoader.load(TestSupergraphs.read(SUPERGRAPH)), RouterSettings.DEFAULTS)) {
            assertThatThrownBy(() -> router.prepare(new GraphQLRequest("{ a { field } }", null, Map.of(), Map.of()), null))
                    .isInstanceOf(RequestError.class)
                    .hasMessageContaining("cannot plan Node.field from subgraph a");
            // what a can answer itself still plans, and b answers its own field
            assertThat(router.prepare(new GraphQLRequest("{ a { id } }", null, Map.of(), Map.of()), null).plan().fetchCount()).isEqualTo(1);
            assertThat(router.prepare(new GraphQLRequest("{ b { id field } }", null, Map.of(), Map.of()), null).plan().toString())
                    .contains("Fetch(service: \"b\")");
        }
    }
}
