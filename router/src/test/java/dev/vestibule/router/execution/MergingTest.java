package dev.vestibule.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.planner.ResponseKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MergingTest {
    private static final Predicate<String> ABSTRACT = name -> name.equals("Account");

    @Test
    void internalAliasesBecomeTheClientsKeysAgain() {
        Map<String, Object> data = new LinkedHashMap<>();
        Merging.merge(data, Map.of("items", List.of(Map.of("__typename", "Book", ResponseKeys.alias("id"), "b1"))), ABSTRACT);
        assertThat(data).isEqualTo(Map.of("items", List.of(Map.of("__typename", "Book", "id", "b1"))));
    }

    @Test
    void aConcreteTypenameWinsOverTheInterfaceName() {
        Map<String, Object> object = new LinkedHashMap<>(Map.of("__typename", "Account", "id", "1"));
        Merging.merge(object, Map.of("__typename", "User", "name", "Ada"), ABSTRACT);
        assertThat(object).containsEntry("__typename", "User").containsEntry("name", "Ada");
        Merging.merge(object, Map.of("__typename", "Account", "lastSeen", "today"), ABSTRACT);
        assertThat(object).containsEntry("__typename", "User").containsEntry("lastSeen", "today");
    }

    @Test
    void listsMergeElementByElement() {
        Map<String, Object> data = new LinkedHashMap<>();
        Merging.merge(data, Map.of("xs", List.of(Map.of("a", 1), Map.of("a", 2))), ABSTRACT);
        Merging.merge(data, Map.of("xs", List.of(Map.of("b", 1), Map.of("b", 2))), ABSTRACT);
        assertThat(data.get("xs")).isEqualTo(List.of(Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 2)));
    }

    @Test
    void projectionRefusesNullKeys() {
        var selections = List.<Selection>of(
                new Selection.Field("id", "id", List.of(), List.of(), List.of()));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("id", null);
        assertThat(Merging.project(withNull, selections, new LinkedHashMap<>(), String::equals, false)).isFalse();
        assertThat(Merging.project(new LinkedHashMap<>(Map.of("id", "7")), selections, new LinkedHashMap<>(), String::equals, false)).isTrue();
        // a @requires field may be null: the lenient projection sends the null
        Map<String, Object> lenient = new LinkedHashMap<>();
        assertThat(Merging.project(withNull, selections, lenient, String::equals, true)).isTrue();
        assertThat(lenient).containsEntry("id", null);
    }

    @Test
    void aNestedRequiredFieldUnderItsInternalAliasIsSentUnderItsName() {
        String alias = ResponseKeys.requiredWithArguments("size", "[unit:INCH]");
        var size = new Selection.Field(alias, "size", List.of(), List.of(), List.of());
        var weight = new Selection.Field("weight", "weight", List.of(), List.of(), List.of());
        var selections = List.<Selection>of(
                new Selection.Field("package", "package", List.of(), List.of(), List.of(size, weight)));
        // the client's own size (centimetres) sits beside the required one (inches) in the fetched data
        Map<String, Object> object = new LinkedHashMap<>(Map.of("package", new LinkedHashMap<>(Map.of("size", 25, alias, 10, "weight", 3))));
        Map<String, Object> representation = new LinkedHashMap<>();
        assertThat(Merging.project(object, selections, representation, String::equals, true)).isTrue();
        assertThat(representation).isEqualTo(Map.of("package", Map.of("size", 10, "weight", 3)));
    }
}
