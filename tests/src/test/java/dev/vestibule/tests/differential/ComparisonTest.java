package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How answers are compared. */
class ComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Answer answer(String json) throws Exception {
        return Answer.of(JSON.readTree(json), 0);
    }

    @Test
    void dataIsDeepEqualWithArraysInOrderNullDistinctFromMissingAndNumbersByValue() throws Exception {
        assertThat(answer("{\"data\":{\"a\":1,\"b\":[1,2]}}").agrees(answer("{\"data\":{\"b\":[1,2],\"a\":1.0}}"))).isTrue();
        assertThat(answer("{\"data\":{\"b\":[1,2]}}").agrees(answer("{\"data\":{\"b\":[2,1]}}"))).isFalse();
        assertThat(answer("{\"data\":{\"a\":null}}").agrees(answer("{\"data\":{}}"))).isFalse();
        assertThat(answer("{\"data\":null}").agrees(answer("{}"))).isFalse();
        assertThat(answer("{\"data\":{\"a\":1},\"errors\":[{\"message\":\"x\"}]}").agrees(answer("{\"data\":{\"a\":1}}"))).isFalse();
        assertThat(answer("{\"data\":{\"a\":1},\"errors\":[]}").agrees(answer("{\"data\":{\"a\":1}}"))).isTrue();
    }

    @Test
    void differencesAreClassifiedAtTheirFirstPath() throws Exception {
        Answer reference = answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":2}]}}}");
        assertThat(answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":null}]}},\"errors\":[{}]}").differenceFrom(reference).orElseThrow())
                .isEqualTo(new Answer.Difference(Answer.Kind.NULL_WHERE_REFERENCE_HAS_DATA, "x.y.1.z"));
        assertThat(answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":3}]}}}").differenceFrom(reference).orElseThrow())
                .isEqualTo(new Answer.Difference(Answer.Kind.OTHER_DATA, "x.y.1.z"));
        assertThat(answer("{\"data\":null,\"errors\":[{}]}").differenceFrom(reference).orElseThrow().kind())
                .isEqualTo(Answer.Kind.NULL_WHERE_REFERENCE_HAS_DATA);
        assertThat(reference.differenceFrom(answer("{\"data\":{\"x\":null}}")).orElseThrow().kind())
                .isEqualTo(Answer.Kind.DATA_WHERE_REFERENCE_IS_NULL);
        assertThat(answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":2}]}},\"errors\":[{}]}").differenceFrom(reference).orElseThrow().kind())
                .isEqualTo(Answer.Kind.EXTRA_ERRORS);
    }

    @Test
    void noAnswerAgreesWithNothingNotEvenAnotherNoAnswer() throws Exception {
        Answer none = Answer.none("Hive Gateway: the process died (exit code 1)", 5);
        Answer alsoNone = Answer.none("Hive Gateway: the process died (exit code 1)", 5);
        Answer errorsOnly = answer("{\"errors\":[{\"message\":\"x\"}]}");
        assertThat(none.answered()).isFalse();
        assertThat(errorsOnly.answered()).isTrue();
        assertThat(none.agrees(alsoNone)).isFalse();
        assertThat(none.agrees(errorsOnly)).isFalse();
        assertThat(errorsOnly.agrees(none)).isFalse();
        assertThat(none.raw().get("noAnswer").asText()).contains("died");
    }

    /** An operation every reference fails as a whole (no data) is not one they answered faster than Vestibule's data. */
    @Test
    void onlyAnAnswerWithDataIsAnExecutedOperation() throws Exception {
        assertThat(DifferentialRunner.hasData(answer("{\"data\":{\"a\":null},\"errors\":[{}]}"))).isTrue();
        assertThat(DifferentialRunner.hasData(answer("{\"data\":null,\"errors\":[{}]}"))).isFalse();
        assertThat(DifferentialRunner.hasData(answer("{\"errors\":[{}]}"))).isFalse();
        assertThat(DifferentialRunner.hasData(Answer.none("died", 0))).isFalse();
        DifferentialRunner.Timing executedByAll = new DifferentialRunner.Timing("t", 1, null, 200, Map.of("apollo", 100L), 0, null, false);
        DifferentialRunner.Timing failedByReferences = new DifferentialRunner.Timing("t", 1, null, 200, Map.of("apollo", 100L), 0, null, true);
        assertThat(executedByAll.vestibuleSlowerThanAnAnswer()).isTrue();
        assertThat(failedByReferences.vestibuleSlower()).isTrue();
        assertThat(failedByReferences.vestibuleSlowerThanAnAnswer()).isFalse();
    }
}
