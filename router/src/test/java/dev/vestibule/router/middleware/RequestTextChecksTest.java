package dev.vestibule.router.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The small checks that run on every request without a regular expression: an APQ hash, the scope claim's names, and
 * header-name patterns remembering their answers.
 */
class RequestTextChecksTest {
    @Test
    void aPersistedQueryHashIsExactly64HexDigitsOfEitherCase() {
        String lower = "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38";
        assertThat(PersistedQueries.isSha256Hex(lower)).isTrue();
        assertThat(PersistedQueries.isSha256Hex(lower.toUpperCase())).isTrue();
        assertThat(PersistedQueries.isSha256Hex(lower.substring(1))).isFalse();
        assertThat(PersistedQueries.isSha256Hex(lower + "0")).isFalse();
        assertThat(PersistedQueries.isSha256Hex(lower.substring(1) + "g")).isFalse();
        assertThat(PersistedQueries.isSha256Hex(lower.substring(1) + " ")).isFalse();
        assertThat(PersistedQueries.isSha256Hex("")).isFalse();
    }

    @Test
    void scopeNamesAreSplitOnAnyRunOfWhitespace() {
        assertThat(Authenticator.scopeNames("read")).containsExactly("read");
        assertThat(Authenticator.scopeNames("  profile \t graphql:read\nwrite ")).containsExactly("profile", "graphql:read", "write");
        assertThat(Authenticator.scopeNames("")).isEmpty();
        assertThat(Authenticator.scopeNames("   ")).isEmpty();
    }

    @Test
    void aHeaderNamePatternMatchesCaseInsensitivelyAndRemembersABoundedNumberOfNames() {
        HeaderNamePattern pattern = HeaderNamePattern.compile("x-tenant-.*");
        assertThat(pattern.matches("x-tenant-id")).isTrue();
        assertThat(pattern.matches("X-Tenant-Region")).isTrue();
        assertThat(pattern.matches("x-tenant")).isFalse();
        // asked again, the remembered answers are the same
        assertThat(pattern.matches("x-tenant-id")).isTrue();
        assertThat(pattern.matches("x-tenant")).isFalse();
        assertThat(pattern.remembered()).isEqualTo(3);
        for (int i = 0; i < 2 * HeaderNamePattern.REMEMBERED; i++) {
            assertThat(pattern.matches("x-other-" + i)).isFalse();
            assertThat(pattern.matches("x-tenant-" + i)).isTrue();
        }
        assertThat(pattern.remembered()).isEqualTo(HeaderNamePattern.REMEMBERED);
        assertThat(pattern).hasToString("x-tenant-.*");
    }
}
