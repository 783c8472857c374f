package dev.vestibule.router.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A field no fetch can reach is a planning error, never a silently missing field (but see implementation-less-interface.plan). Here (the audit's
 * non-resolvable-interface-object suite) Node.field lives only in subgraph b, where Node is an @interfaceObject with
 * a non-resolvable key: from a's Node, which has no implementations to ask through, nothing can get it.
 */
class UnreachableFieldTest {
    private static final Path SUPERGRAPH = Path.of("src", "test", "resources", "supergraphs", "non-resolvable-interface-object.graphql");

    @Test
    void aFieldBehindANonResolvableInterfaceObjectCannotBePlanned() {
        Planning planning = new Planning(SupergraphLoader.load(TestSupergraphs.read(SUPERGRAPH)));
        assertThatThrownBy(() -> planning.plan("{ a { field } }"))
                .isInstanceOf(PlanningException.class)
                .hasMessageContaining("cannot plan Node.field from subgraph a");
        // what a can answer itself still plans, and b answers its own field; beside a field a answers, the unreachable
        // one is left out (Node has no implementation, so no answer can have it), as the references plan it
        assertThat(planning.plan("{ a { id } }").fetchCount()).isEqualTo(1);
        assertThat(planning.plan("{ a { id field } }").toString()).contains("a {__typename id}").doesNotContain("field");
        // the client's __typename is something a answers too (implementation-less-interface-typename.plan)
        assertThat(planning.plan("{ a { field __typename } }").toString()).contains("a {__typename}").doesNotContain("field");
        assertThat(planning.plan("{ b { id field } }").toString()).contains("Fetch(service: \"b\")");
        // under a condition on a variable it is left out too (implementation-less-interface-under-condition.plan): a
        // planning error would fail the operation also when the variable skips the field. Then a is asked for nothing
        // of its own and is not asked at all (Apollo's planner plans nothing; a {__typename} only brings a's error)
        assertThat(planning.plan("query($v: Boolean = true) { a { field @include(if: $v) } }").fetchCount()).isZero();
        assertThat(planning.plan("query($v: Boolean = false) { a @skip(if: $v) { field } }").fetchCount()).isZero();
        // the same beside a's own field or a's __typename is fetched; one unconditional unreachable field still fails
        assertThat(planning.plan("query($v: Boolean = true) { a { id field @include(if: $v) } }").toString())
                .contains("a {__typename id}").doesNotContain("field");
        assertThat(planning.plan("query($v: Boolean = true) { a { __typename field @include(if: $v) } }").fetchCount()).isEqualTo(1);
        assertThatThrownBy(() -> planning.plan("query($v: Boolean = true) { a { field ... @include(if: $v) { field } } }"))
                .isInstanceOf(PlanningException.class);
    }
}
