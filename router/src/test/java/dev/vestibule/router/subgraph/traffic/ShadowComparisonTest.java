package dev.vestibule.router.subgraph.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How shadow answers are compared: JSON-equal after normalising, and the path where they first differ. */
class ShadowComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String difference(String primary, String candidate) throws Exception {
        return ShadowTransport.firstDifference(JSON.readTree(primary), JSON.readTree(candidate));
    }

    @Test
    void keyOrderNumberFormsAndTopLevelExtensionsDoNotCount() throws Exception {
        assertThat(difference("{\"data\":{\"a\":1,\"b\":[1.0,\"x\"]},\"extensions\":{\"trace\":1}}",
                "{\"data\":{\"b\":[1,\"x\"],\"a\":1e0}}")).isNull();
    }

    @Test
    void theFirstDifferenceIsNamedByItsPath() throws Exception {
        assertThat(difference("{\"data\":{\"top\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
                "{\"data\":{\"top\":[{\"name\":\"a\"},{\"name\":\"c\"}]}}")).isEqualTo("data.top.1.name");
        assertThat(difference("{\"data\":{\"top\":[1,2]}}", "{\"data\":{\"top\":[1]}}")).isEqualTo("data.top.1");
        assertThat(difference("{\"data\":{\"a\":1}}", "{\"data\":{\"a\":1,\"b\":null}}")).isEqualTo("data.b");
        assertThat(difference("{\"data\":{\"a\":\"1\"}}", "{\"data\":{\"a\":1}}")).isEqualTo("data.a");
        assertThat(difference("{\"data\":{\"a\":1}}", "{\"data\":null,\"errors\":[{\"message\":\"no\"}]}")).isEqualTo("data");
        assertThat(difference("{\"data\":{\"a\":{\"extensions\":1}}}", "{\"data\":{\"a\":{\"extensions\":2}}}"))
                .as("only the top-level extensions are ignored").isEqualTo("data.a.extensions");
    }
}
