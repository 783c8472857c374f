package dev.vestibule.router.config;

import dev.vestibule.router.middleware.AuthenticationSettings;
import dev.vestibule.router.middleware.AuthenticationSettings.ApiKey;
import dev.vestibule.router.middleware.AuthenticationSettings.Issuer;
import dev.vestibule.router.middleware.AuthenticationSettings.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code authentication} section: the mode, JWT issuers, API keys, claims forwarded to subgraphs, per-route modes. */
final class AuthenticationSection {
    static final String KEY = "authentication";
    private static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
            "EdDSA", "HS256", "HS384", "HS512");

    private AuthenticationSection() {}

    /** @param base the config file's directory: jwks_file is relative to it */
    static AuthenticationSettings parse(ConfigNode node, Path base) {
        if (node.isMissing()) return AuthenticationSettings.OFF;
        node.allowOnly(Set.of("mode", "jwt", "api_keys", "forward_claims", "required_scopes", "routes"));
        ConfigNode jwt = node.get("jwt").allowOnly(Set.of("header", "clock_skew", "max_token_bytes", "issuers"));
        List<Issuer> issuers = new ArrayList<>();
        for (ConfigNode issuer : jwt.get("issuers").list()) issuers.add(issuer(issuer, base));
        ConfigNode keysSection = node.get("api_keys").allowOnly(Set.of("header", "keys"));
        List<ApiKey> keys = new ArrayList<>();
        for (ConfigNode key : keysSection.get("keys").list()) {
            key.allowOnly(Set.of("sha256", "consumer", "plan"));
            String hash = key.get("sha256").requiredString().toLowerCase(Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw key.get("sha256").error("expected the 64 hex digits of the key's SHA-256 (e.g. printf %s \"$KEY\" | sha256sum)");
            }
            for (String field : List.of("consumer", "plan")) {
                if (key.get(field).string("").chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw key.get(field).error("cannot hold a control character (it is sent to subgraphs as a header)");
                }
            }
            keys.add(new ApiKey(hash, key.get("consumer").requiredString(), key.get("plan").string(null)));
        }
        Map<String, String> forward = new LinkedHashMap<>();
        node.get("forward_claims").map().forEach((claim, header) -> {
            String name = header.requiredString().toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9!#$%&'*+.^_`|~-]+")) throw header.error("'" + name + "' is not a valid header name");
            forward.put(claim, name);
        });
        Mode mode = node.get("mode").choice(Mode.class, Mode.REQUIRED);
        if (mode != Mode.OFF && issuers.isEmpty() && keys.isEmpty()) {
            throw node.get("mode").error("is " + mode.name().toLowerCase(Locale.ROOT)
                    + " but neither jwt.issuers nor api_keys.keys is configured");
        }
        return new AuthenticationSettings(mode, jwt.get("header").string("authorization").toLowerCase(Locale.ROOT),
                jwt.get("clock_skew").positiveDuration(Duration.ofSeconds(60)),
                (int) jwt.get("max_token_bytes").number(8192, 256, 1_048_576), issuers,
                keysSection.get("header").string("x-api-key").toLowerCase(Locale.ROOT), keys, forward,
                node.get("required_scopes").strings(), routeModes(node.get("routes")));
    }

    private static Map<String, Mode> routeModes(ConfigNode node) {
        Map<String, Mode> modes = new LinkedHashMap<>();
        node.map().forEach((route, mode) -> {
            if (!route.startsWith("/")) throw mode.error("a route is a path starting with /");
            modes.put(route, mode.choice(Mode.class, Mode.REQUIRED));
        });
        return modes;
    }

    private static Issuer issuer(ConfigNode node, Path base) {
        node.allowOnly(Set.of("issuer", "jwks_url", "jwks_file", "secret", "audiences", "algorithms", "required_claims",
                "jwks_refresh", "unknown_kid_refetch"));
        String url = node.get("jwks_url").string(null);
        String file = node.get("jwks_file").string(null);
        String secret = node.get("secret").string(null);
        int sources = (url == null ? 0 : 1) + (file == null ? 0 : 1) + (secret == null ? 0 : 1);
        if (sources != 1) throw node.error("give exactly one of jwks_url, jwks_file or secret (HS256/384/512 only with a secret)");
        List<String> algorithms = node.get("algorithms").strings();
        for (String algorithm : algorithms) {
            boolean hmac = algorithm.startsWith("HS");
            if (!ALGORITHMS.contains(algorithm)) {
                throw node.get("algorithms").error("unsupported algorithm '" + algorithm
                        + "' (RS256/384/512, PS256/384/512, ES256/384, EdDSA, or HS256/384/512 with a secret)");
            }
            if (hmac != (secret != null)) {
                throw node.get("algorithms").error(algorithm + (hmac ? " needs a secret" : " cannot be used with a secret"));
            }
        }
        if (secret != null && secret.length() < 32) throw node.get("secret").error("an HMAC secret needs at least 32 characters");
        return new Issuer(node.get("issuer").requiredString(), url, file == null ? null : base.resolve(file).toString(), secret,
                node.get("audiences").strings(), algorithms, node.get("required_claims").strings(),
                // a file is cheap to check, and a key removed from it (revoked) should stop working soon
                node.get("jwks_refresh").positiveDuration(file != null ? Duration.ofSeconds(10) : Duration.ofMinutes(5)),
                node.get("unknown_kid_refetch").positiveDuration(Duration.ofSeconds(30)));
    }
}
