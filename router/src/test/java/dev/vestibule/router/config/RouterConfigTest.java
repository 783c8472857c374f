package dev.vestibule.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.middleware.AuthenticationSettings.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML config: defaults, environment expansion, and an error naming the key for every mistake. */
class RouterConfigTest {
    @TempDir
    Path dir;

    private RouterConfig load(String yaml, Map<String, String> env) throws Exception {
        return RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), yaml), env::get);
    }

    private void rejects(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void readsSettingsWithDefaultsAndEnvironmentVariables() throws Exception {
        RouterConfig config = load("""
                router:
                  subgraph_timeout: 5s
                  request_timeout: 2m
                  introspection: false
                authentication:
                  mode: optional
                  jwt:
                    issuers:
                      - issuer: ${ISSUER}
                        jwks_url: ${JWKS_URL:-http://127.0.0.1:9/jwks.json}
                  forward_claims:
                    sub: X-User-Id
                """, Map.of("ISSUER", "https://id.example"));
        assertThat(config.settings().subgraphTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.settings().requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.settings().introspection()).isFalse();
        assertThat(config.server().maxBodyBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.authentication().mode()).isEqualTo(Mode.OPTIONAL);
        assertThat(config.authentication().issuers().get(0).issuer()).isEqualTo("https://id.example");
        assertThat(config.authentication().issuers().get(0).jwksUrl()).isEqualTo("http://127.0.0.1:9/jwks.json");
        assertThat(config.authentication().issuers().get(0).unknownKidRefetch()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.authentication().forwardClaims()).containsEntry("sub", "x-user-id");
    }

    @Test
    void everyMistakeNamesItsKey() {
        rejects("router:\n  subgraph_timeuot: 5s\n", "router.subgraph_timeuot: unknown key (known here:");
        rejects("router:\n  subgraph_timeout: soon\n", "router.subgraph_timeout: expected a duration such as 250ms, 30s, 5m or 1h, got 'soon'");
        rejects("router:\n  max_body_bytes: -1\n", "router.max_body_bytes: must be between 1");
        rejects("router:\n  subgraph_idle_timeout: 0s\n", "router.subgraph_idle_timeout: must be more than zero");
        rejects("authentication:\n  mode: sometimes\n", "authentication.mode: expected one of required, optional, off, got 'sometimes'");
        rejects("authentication:\n  mode: required\n", "authentication.mode: is required but neither jwt.issuers nor api_keys.keys is configured");
        rejects("authentication:\n  jwt:\n    issuers:\n      - issuer: x\n", "authentication.jwt.issuers[0]: give exactly one of jwks_url, jwks_file or secret");
        rejects("authentication:\n  jwt:\n    issuers:\n      - issuer: x\n        jwks_url: http://a\n        algorithms: [HS256]\n",
                "authentication.jwt.issuers[0].algorithms: HS256 needs a secret");
        rejects("authentication:\n  jwt:\n    issuers:\n      - issuer: x\n        secret: short\n", "an HMAC secret needs at least 32 characters");
        rejects("authentication:\n  jwt:\n    issuers:\n      - issuer: ${NOPE}\n        jwks_url: http://a\n",
                "authentication.jwt.issuers[0].issuer: environment variable NOPE is not set");
        rejects("authentication:\n  api_keys:\n    keys:\n      - sha256: abc\n        consumer: c\n", "authentication.api_keys.keys[0].sha256: expected the 64 hex digits");
        rejects("router: [\n", "not valid YAML");
    }
}
