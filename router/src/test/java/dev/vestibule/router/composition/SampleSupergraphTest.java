package dev.vestibule.router.composition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.composition.CompositionResult.Composed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** schemas/supergraph.graphql is what Vestibule composes from the sample subgraphs, byte for byte. */
class SampleSupergraphTest {
    static final String REFRESH = "./vestibule compose --config schemas/subgraphs.yaml --out schemas/supergraph.graphql";

    @Test
    void theCommittedSupergraphIsUpToDate() throws Exception {
        CompositionResult result = Composer.compose(SubgraphsConfig.load(Path.of("../schemas/subgraphs.yaml")));
        assertThat(result).as("the sample subgraphs compose: %s", result).isInstanceOf(Composed.class);
        String committed = Files.readString(Path.of("../schemas/supergraph.graphql"));
        assertThat(((Composed) result).supergraphSdl())
                .as("schemas/supergraph.graphql is stale: refresh it with `%s` and commit it", REFRESH)
                .isEqualTo(committed);
    }

    @Test
    void theOrderOfTheSubgraphsDoesNotMatter() {
        var sources = new ArrayList<>(SubgraphsConfig.load(Path.of("../schemas/subgraphs.yaml")));
        String forward = ((Composed) Composer.compose(sources)).supergraphSdl();
        Collections.reverse(sources);
        assertThat(((Composed) Composer.compose(sources)).supergraphSdl()).isEqualTo(forward);
        Collections.shuffle(sources, new Random(7));
        assertThat(((Composed) Composer.compose(sources)).supergraphSdl()).isEqualTo(forward);
    }
}
