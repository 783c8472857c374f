package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionBenchmark;
import dev.vestibule.router.composition.CompositionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue #28: a supergraph of 400 subgraphs and 10,201 types whose entities form one chain of references 1,000 long
 * loads, on the default thread stack: building its schemas must not recurse along the chain.
 */
class BigSupergraphTest {
    @Test
    void aChainShapedSupergraphOf400SubgraphsLoads() throws Exception {
        CompositionResult result = Composer.compose(CompositionBenchmark.generate(400, 1000));
        String sdl = ((CompositionResult.Composed) result).supergraphSdl();
        if (System.getProperty("big.supergraph.out") != null) Files.writeString(Path.of(System.getProperty("big.supergraph.out")), sdl);
        Supergraph supergraph = SupergraphLoader.load(sdl);
        assertThat(supergraph.subgraphs()).hasSize(400);
        assertThat(supergraph.apiSchema().getType("E999")).isNotNull();
        assertThat(supergraph.apiSchema().getAllTypesAsList()).hasSizeGreaterThan(10_201);
    }
}
