package dev.vestibule.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.planner.PlanNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two requests may share an entity fetch only when the same answers were merged by the same nodes, in the same order. */
class LineageTest {
    private static PlanNode.Fetch fetch() {
        return new PlanNode.Fetch("products", null, "{ topProducts { upc } }", List.of(), List.of(), null, null, null);
    }

    private final PlanNode.Fetch root = fetch();
    private final PlanNode.Flatten entities = PlanNode.Flatten.at(List.of("topProducts", "@"), fetch());

    @Test
    void theSameAnswersMergedByTheSameNodesAreTheSameLineage() {
        Lineage a = Lineage.EMPTY.then(root, 7, null);
        Lineage b = Lineage.EMPTY.then(root, 7, null);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.then(entities, 9, a)).isEqualTo(b.then(entities, 9, b));
    }

    @Test
    void anotherCallsAnswerIsAnotherLineageEvenWhenItsContentIsEqual() {
        assertThat(Lineage.EMPTY.then(root, 7, null)).isNotEqualTo(Lineage.EMPTY.then(root, 8, null));
    }

    @Test
    void nodesCountByIdentityNotByValue() {
        PlanNode.Fetch equalButOther = fetch();
        assertThat(equalButOther).isEqualTo(root);
        assertThat(Lineage.EMPTY.then(root, 7, null)).isNotEqualTo(Lineage.EMPTY.then(equalButOther, 7, null));
    }

    @Test
    void theOrderOfMergesCounts() {
        PlanNode.Fetch other = fetch();
        Lineage ab = Lineage.EMPTY.then(root, 1, null).then(other, 2, null);
        Lineage ba = Lineage.EMPTY.then(other, 2, null).then(root, 1, null);
        assertThat(ab).isNotEqualTo(ba);
    }

    @Test
    void anEntityFetchCountsTheDataItsRepresentationsCameFrom() {
        // the same answer merged into the same data, but asked for with representations read before or after a
        // parallel fetch merged: the data may differ, so the lineages must
        Lineage start = Lineage.EMPTY.then(root, 1, null);
        PlanNode.Fetch parallel = fetch();
        Lineage afterParallel = start.then(parallel, 2, null);
        assertThat(afterParallel.then(entities, 3, start)).isNotEqualTo(afterParallel.then(entities, 3, afterParallel));
        assertThat(afterParallel.then(entities, 3, start)).isEqualTo(start.then(parallel, 2, null).then(entities, 3, start));
        assertThat(Lineage.EMPTY).isNotEqualTo(start).isEqualTo(Lineage.EMPTY);
    }
}
