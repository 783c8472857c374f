package dev.vestibule.router.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy language: what each form tests, precedence, and one clear error per mistake. */
class PolicyExpressionTest {
    private static final Map<String, Object> CLAIMS = Map.of("role", "owner", "level", 3L, "mfa", true, "off", false,
            "groups", List.of("dev", "staff"), "words", "dev staff", "org", Map.of("id", "acme"),
            "https://example.test/roles", List.of("auditor"));

    private static boolean test(String expression) {
        return PolicyExpression.parse(expression).test(true, Set.of("read", "write:reviews"), CLAIMS);
    }

    @Test
    void eachFormTestsWhatTheTableSays() {
        assertThat(test("authenticated")).isTrue();
        assertThat(PolicyExpression.parse("authenticated").test(false, Set.of(), Map.of())).isFalse();
        assertThat(test("scope:read")).isTrue();
        assertThat(test("scope:write:reviews")).isTrue();
        assertThat(test("scope:'write:reviews'")).isTrue();
        assertThat(test("scope:admin")).isFalse();
        assertThat(test("claim.role == 'owner'")).isTrue();
        assertThat(test("claim.role == \"own\"")).isFalse();
        assertThat(test("claim.role != 'owner'")).isFalse();
        assertThat(test("claim.missing != 'x'")).isTrue();
        assertThat(test("claim.level == '3'")).isTrue();
        assertThat(test("claim.mfa")).isTrue();
        assertThat(test("claim.off")).isFalse();
        assertThat(test("claim.missing")).isFalse();
        assertThat(test("claim.groups contains 'staff'")).isTrue();
        assertThat(test("claim.groups contains 'sta'")).isFalse();
        assertThat(test("claim.groups == 'staff'")).as("a list is not a string").isFalse();
        assertThat(test("claim.words contains 'staff'")).isTrue();
        assertThat(test("claim.words contains 'dev staff'")).isFalse();
        assertThat(test("claim.org.id == 'acme'")).isTrue();
        assertThat(test("claim['https://example.test/roles'] contains 'auditor'")).isTrue();
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanBoth() {
        assertThat(test("scope:admin && scope:read || claim.mfa")).isTrue();
        assertThat(test("scope:admin && (scope:read || claim.mfa)")).isFalse();
        assertThat(test("!scope:admin && !claim.off")).isTrue();
        assertThat(test("!(scope:read || scope:admin)")).isFalse();
        assertThat(test("!!scope:read")).isTrue();
        assertThatThrownBy(() -> test("authenticatedx")).as("not the keyword").hasMessageContaining("column 1");
    }

    @Test
    void mistakesSayWhatAndWhere() {
        assertThatThrownBy(() -> PolicyExpression.parse("")).hasMessageContaining("the expression ends").hasMessageEndingWith("column 1");
        assertThatThrownBy(() -> PolicyExpression.parse("scope:")).hasMessageContaining("expected a scope name");
        assertThatThrownBy(() -> PolicyExpression.parse("scope:a & scope:b")).hasMessage("unexpected '&' at column 9");
        assertThatThrownBy(() -> PolicyExpression.parse("(scope:a")).hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> PolicyExpression.parse("claim.role == owner")).hasMessageContaining("expected a quoted string after ==");
        assertThatThrownBy(() -> PolicyExpression.parse("claim. == 'x'")).hasMessageContaining("expected a claim name");
        assertThatThrownBy(() -> PolicyExpression.parse("role == 'x'")).hasMessageContaining("expected authenticated, scope:NAME");
        assertThatThrownBy(() -> PolicyExpression.parse("(".repeat(100) + "scope:a" + ")".repeat(100))).hasMessageContaining("nested too deeply");
    }
}
