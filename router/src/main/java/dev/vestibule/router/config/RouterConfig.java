package dev.vestibule.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.AuthenticationSettings;
import dev.vestibule.router.middleware.AuthenticationSettings.ApiKey;
import dev.vestibule.router.middleware.AuthenticationSettings.Issuer;
import dev.vestibule.router.middleware.AuthenticationSettings.Mode;
import dev.vestibule.router.middleware.AuthorizationPolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The router's YAML configuration ({@code serve --config router.yaml}), validated at start: every option, its
 * default and an example are in docs/configuration.md. Unknown keys are errors; {@code ${VAR}} takes a value from the
 * environment.
 */
public record RouterConfig(RouterSettings settings, dev.vestibule.router.middleware.BrowserPolicy browser,
                           AuthenticationSettings authentication, dev.vestibule.router.middleware.RateLimitSettings rateLimits,
                           dev.vestibule.router.middleware.PersistedQueries.Settings persistedQueries,
                           dev.vestibule.router.middleware.HeaderRules headers, AuthorizationPolicies authorization) {

    public static final RouterConfig DEFAULTS = new RouterConfig(RouterSettings.DEFAULTS,
            dev.vestibule.router.middleware.BrowserPolicy.DEFAULTS, AuthenticationSettings.OFF,
            dev.vestibule.router.middleware.RateLimitSettings.NONE,
            dev.vestibule.router.middleware.PersistedQueries.Settings.DEFAULTS, dev.vestibule.router.middleware.HeaderRules.NONE,
            AuthorizationPolicies.NONE);

    /** The edge policy this config describes (the caller closes it). */
    public dev.vestibule.router.middleware.EdgePolicy edgePolicy() {
        return dev.vestibule.router.middleware.EdgePolicy.of(browser, authentication, rateLimits, persistedQueries, headers, authorization);
    }

    public static RouterConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static RouterConfig load(Path file, Function<String, String> environment) {
        if (!Files.isRegularFile(file)) throw new ConfigException(file + ": no such file");
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        try {
            return parse(new ConfigNode(root, "", environment), file.toAbsolutePath().getParent());
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    static RouterConfig parse(ConfigNode root, Path base) {
        if (root.isMissing()) return DEFAULTS;
        root.allowOnly(Set.of("router", "cors", "csrf", "authentication", "authorization", "rate_limits", "persisted_queries", "headers", "server"));
        RouterSettings settings = router(root.get("router")).toBuilder().subgraphLimits(subgraphLimits(root.get("rate_limits").get("subgraphs")))
                .server(server(root.get("server"))).build();
        AuthenticationSettings authentication = authentication(root.get("authentication"), base);
        return new RouterConfig(settings, browser(root.get("cors"), root.get("csrf")),
                authentication, rateLimits(root.get("rate_limits")),
                persistedQueries(root.get("persisted_queries"), base), headers(root.get("headers"), Set.copyOf(authentication.forwardClaims().values())),
                authorization(root.get("authorization")));
    }

    /** The named policies of @policy: each an expression over the caller's scopes and claims (PolicyExpression). */
    private static AuthorizationPolicies authorization(ConfigNode node) {
        node.allowOnly(Set.of("policies", "unknown_policies"));
        Map<String, String> expressions = new LinkedHashMap<>();
        node.get("policies").map().forEach((name, expression) -> {
            String text = expression.requiredString();
            try {
                AuthorizationPolicies.parse(Map.of(name, text), false);
            } catch (IllegalArgumentException e) {
                throw expression.error("not a valid policy: " + e.getCause().getMessage());
            }
            expressions.put(name, text);
        });
        String unknown = node.get("unknown_policies").string("deny");
        if (!unknown.equals("deny") && !unknown.equals("refuse")) {
            throw node.get("unknown_policies").error("expected deny or refuse, got '" + unknown + "'");
        }
        return AuthorizationPolicies.parse(expressions, unknown.equals("refuse"));
    }

    private static Map<String, dev.vestibule.router.subgraph.SubgraphProtection.Limit> subgraphLimits(ConfigNode node) {
        Map<String, dev.vestibule.router.subgraph.SubgraphProtection.Limit> limits = new LinkedHashMap<>();
        node.map().forEach((subgraph, limitNode) -> {
            var limit = limit(limitNode.allowOnly(Set.of("limit", "per", "burst")));
            limits.put(subgraph, new dev.vestibule.router.subgraph.SubgraphProtection.Limit(limit.limit(), limit.per(), limit.burst()));
        });
        return limits;
    }

    private static RouterSettings router(ConfigNode node) {
        node.allowOnly(Set.of("introspection", "expose_subgraph_errors", "subgraph_timeout", "request_timeout",
                "connections_per_subgraph", "subgraph_idle_timeout", "plan_cache_size", "document_cache_size", "max_body_bytes", "dev",
                "limits", "deduplication"));
        RouterSettings d = RouterSettings.DEFAULTS;
        ConfigNode dedup = node.get("deduplication").allowOnly(Set.of("subgraph_queries", "inbound_queries", "vary_headers"));
        var dd = RouterSettings.Deduplication.DEFAULTS;
        ConfigNode limits = node.get("limits").allowOnly(Set.of("max_depth", "max_aliases", "max_root_fields", "max_tokens",
                "max_cost", "default_list_size"));
        var l = dev.vestibule.router.operation.OperationLimits.DEFAULTS;
        return d.toBuilder()
                .introspection(node.get("introspection").bool(d.introspection()))
                .exposeSubgraphErrors(node.get("expose_subgraph_errors").bool(d.exposeSubgraphErrors()))
                .subgraphTimeout(positive(node.get("subgraph_timeout"), d.subgraphTimeout()))
                .requestTimeout(positive(node.get("request_timeout"), d.requestTimeout()))
                .connectionsPerSubgraph((int) node.get("connections_per_subgraph").number(d.connectionsPerSubgraph(), 1, 100_000))
                .subgraphIdleTimeout(positive(node.get("subgraph_idle_timeout"), d.subgraphIdleTimeout()))
                .planCacheSize((int) node.get("plan_cache_size").number(d.planCacheSize(), 1, 10_000_000))
                .documentCacheSize((int) node.get("document_cache_size").number(d.documentCacheSize(), 1, 10_000_000))
                .maxBodyBytes(node.get("max_body_bytes").number(d.maxBodyBytes(), 1, Integer.MAX_VALUE))
                .devMode(node.get("dev").bool(d.devMode()))
                .deduplication(new RouterSettings.Deduplication(dedup.get("subgraph_queries").bool(dd.subgraphQueries()),
                        dedup.get("inbound_queries").bool(dd.inboundQueries()), dedup.get("vary_headers").strings()))
                .limits(new dev.vestibule.router.operation.OperationLimits(
                        (int) limits.get("max_depth").number(l.maxDepth(), 1, 10_000),
                        (int) limits.get("max_aliases").number(l.maxAliases(), 0, 1_000_000),
                        (int) limits.get("max_root_fields").number(l.maxRootFields(), 1, 1_000_000),
                        (int) limits.get("max_tokens").number(l.maxTokens(), 10, 10_000_000),
                        limits.get("max_cost").number(l.maxCost(), 0, Long.MAX_VALUE / 2),
                        (int) limits.get("default_list_size").number(l.defaultListSize(), 0, 1_000_000)))
                .build();
    }

    private static ServerSettings server(ConfigNode node) {
        node.allowOnly(Set.of("body_read_timeout", "max_connections_per_client", "shutdown", "readiness"));
        ConfigNode shutdown = node.get("shutdown").allowOnly(Set.of("delay", "grace_period"));
        ConfigNode readiness = node.get("readiness").allowOnly(Set.of("required_subgraphs", "interval", "timeout"));
        ServerSettings d = ServerSettings.DEFAULTS;
        Duration delay = shutdown.get("delay").duration(d.shutdownDelay());
        if (delay.isNegative()) throw shutdown.get("delay").error("must be zero or more");
        return new ServerSettings(positive(node.get("body_read_timeout"), d.bodyReadTimeout()),
                (int) node.get("max_connections_per_client").number(d.maxConnectionsPerClient(), 0, 1_000_000),
                delay, positive(shutdown.get("grace_period"), d.shutdownGracePeriod()),
                readiness.get("required_subgraphs").strings(), positive(readiness.get("interval"), d.readinessInterval()),
                positive(readiness.get("timeout"), d.readinessTimeout()));
    }

    private static AuthenticationSettings authentication(ConfigNode node, Path base) {
        if (node.isMissing()) return AuthenticationSettings.OFF;
        node.allowOnly(Set.of("mode", "jwt", "api_keys", "forward_claims", "required_scopes", "routes"));
        ConfigNode jwt = node.get("jwt").allowOnly(Set.of("header", "clock_skew", "max_token_bytes", "issuers"));
        List<Issuer> issuers = new ArrayList<>();
        for (ConfigNode issuer : jwt.get("issuers").list()) issuers.add(issuer(issuer, base));
        ConfigNode keysSection = node.get("api_keys").allowOnly(Set.of("header", "keys"));
        List<ApiKey> keys = new ArrayList<>();
        for (ConfigNode key : keysSection.get("keys").list()) {
            key.allowOnly(Set.of("sha256", "consumer", "plan"));
            String hash = key.get("sha256").requiredString().toLowerCase(java.util.Locale.ROOT);
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
            String name = header.requiredString().toLowerCase(java.util.Locale.ROOT);
            if (!name.matches("[a-z0-9!#$%&'*+.^_`|~-]+")) throw header.error("'" + name + "' is not a valid header name");
            forward.put(claim, name);
        });
        Mode mode = node.get("mode").choice(Mode.class, Mode.REQUIRED);
        if (mode != Mode.OFF && issuers.isEmpty() && keys.isEmpty()) {
            throw node.get("mode").error("is " + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + " but neither jwt.issuers nor api_keys.keys is configured");
        }
        return new AuthenticationSettings(mode, jwt.get("header").string("authorization").toLowerCase(java.util.Locale.ROOT),
                positive(jwt.get("clock_skew"), Duration.ofSeconds(60)),
                (int) jwt.get("max_token_bytes").number(8192, 256, 1_048_576), issuers,
                keysSection.get("header").string("x-api-key").toLowerCase(java.util.Locale.ROOT), keys, forward,
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

    private static dev.vestibule.router.middleware.BrowserPolicy browser(ConfigNode cors, ConfigNode csrf) {
        var d = dev.vestibule.router.middleware.BrowserPolicy.DEFAULTS;
        cors.allowOnly(Set.of("origins", "allow_credentials", "allow_headers", "max_age"));
        csrf.allowOnly(Set.of("enabled", "required_headers"));
        List<String> origins = cors.get("origins").strings();
        boolean credentials = cors.get("allow_credentials").bool(false);
        if (credentials && origins.contains("*")) {
            throw cors.get("allow_credentials").error("cannot be true with origins: [\"*\"] (browsers refuse it); list the origins");
        }
        List<String> headers = cors.get("allow_headers").isMissing() ? d.allowedHeaders() : cors.get("allow_headers").strings();
        List<String> required = csrf.get("required_headers").isMissing() ? d.csrfRequiredHeaders() : csrf.get("required_headers").strings();
        return new dev.vestibule.router.middleware.BrowserPolicy(origins, credentials, headers,
                positive(cors.get("max_age"), d.preflightMaxAge()), csrf.get("enabled").bool(true), required);
    }

    private static dev.vestibule.router.middleware.PersistedQueries.Settings persistedQueries(ConfigNode node, Path base) {
        var d = dev.vestibule.router.middleware.PersistedQueries.Settings.DEFAULTS;
        node.allowOnly(Set.of("apq", "cache_size", "redis", "ttl", "safelist"));
        ConfigNode redis = node.get("redis").allowOnly(Set.of("url"));
        ConfigNode safelist = node.get("safelist").allowOnly(Set.of("manifest"));
        String manifest = safelist.get("manifest").string(null);
        if (manifest != null && !Files.isRegularFile(base.resolve(manifest))) {
            throw safelist.get("manifest").error("no such file: " + base.resolve(manifest));
        }
        return new dev.vestibule.router.middleware.PersistedQueries.Settings(node.get("apq").bool(d.apq()),
                (int) node.get("cache_size").number(d.cacheSize(), 1, 10_000_000), redis.get("url").string(null),
                positive(node.get("ttl"), d.ttl()), manifest == null ? null : base.resolve(manifest));
    }

    /** @param reserved the headers authentication writes (forward_claims): the router's alone */
    private static dev.vestibule.router.middleware.HeaderRules headers(ConfigNode node, Set<String> reserved) {
        node.allowOnly(Set.of("all", "subgraphs"));
        Map<String, List<dev.vestibule.router.middleware.HeaderRules.Rule>> bySubgraph = new LinkedHashMap<>();
        node.get("subgraphs").map().forEach((subgraph, rules) -> bySubgraph.put(subgraph, headerRules(rules, reserved)));
        return new dev.vestibule.router.middleware.HeaderRules(headerRules(node.get("all"), reserved), bySubgraph, reserved);
    }

    private static List<dev.vestibule.router.middleware.HeaderRules.Rule> headerRules(ConfigNode list, Set<String> reserved) {
        List<dev.vestibule.router.middleware.HeaderRules.Rule> rules = new ArrayList<>();
        for (ConfigNode item : list.list()) {
            item.allowOnly(Set.of("propagate", "insert", "remove"));
            if (item.map().size() != 1) throw item.error("each rule is one of propagate, insert or remove");
            ConfigNode propagate = item.get("propagate").allowOnly(Set.of("named", "matching", "rename", "default"));
            ConfigNode insert = item.get("insert").allowOnly(Set.of("name", "value"));
            ConfigNode remove = item.get("remove").allowOnly(Set.of("named", "matching"));
            if (!propagate.isMissing()) {
                String named = lower(propagate.get("named").string(null));
                dev.vestibule.router.middleware.HeaderNamePattern matching = pattern(propagate.get("matching"));
                if ((named == null) == (matching == null)) throw propagate.error("give exactly one of named or matching");
                if (matching != null && !propagate.get("rename").isMissing()) throw propagate.get("rename").error("only with named");
                String rename = lower(propagate.get("rename").string(null));
                if (rename != null && reserved.contains(rename)) throw propagate.get("rename").error(identityHeader(rename));
                rules.add(new dev.vestibule.router.middleware.HeaderRules.Propagate(named, matching, rename,
                        propagate.get("default").string(null)));
            } else if (!insert.isMissing()) {
                String name = lower(insert.get("name").requiredString());
                if (reserved.contains(name)) throw insert.get("name").error(identityHeader(name));
                rules.add(new dev.vestibule.router.middleware.HeaderRules.Insert(name, insert.get("value").requiredString()));
            } else {
                String named = lower(remove.get("named").string(null));
                dev.vestibule.router.middleware.HeaderNamePattern matching = pattern(remove.get("matching"));
                if ((named == null) == (matching == null)) throw remove.error("give exactly one of named or matching");
                rules.add(new dev.vestibule.router.middleware.HeaderRules.Remove(named, matching));
            }
        }
        return rules;
    }

    private static String identityHeader(String name) {
        return name + " carries the verified identity (authentication.forward_claims): only the router writes it";
    }

    private static String lower(String name) {
        return name == null ? null : name.toLowerCase(java.util.Locale.ROOT);
    }

    private static dev.vestibule.router.middleware.HeaderNamePattern pattern(ConfigNode node) {
        String text = node.string(null);
        if (text == null) return null;
        try {
            return dev.vestibule.router.middleware.HeaderNamePattern.compile(text);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw node.error("not a valid regular expression: " + e.getDescription());
        }
    }

    private static final Set<String> KEY_PARTS = Set.of("consumer", "subject", "ip", "operation", "plan");

    private static dev.vestibule.router.middleware.RateLimitSettings rateLimits(ConfigNode node) {
        if (node.isMissing()) return dev.vestibule.router.middleware.RateLimitSettings.NONE;
        node.allowOnly(Set.of("backend", "redis", "trusted_proxies", "rules", "local_prefilter", "subgraphs"));
        var backend = node.get("backend").choice(dev.vestibule.router.middleware.RateLimitSettings.Backend.class,
                dev.vestibule.router.middleware.RateLimitSettings.Backend.MEMORY);
        ConfigNode redis = node.get("redis").allowOnly(Set.of("url", "timeout", "on_failure"));
        String url = redis.get("url").string(null);
        if (backend == dev.vestibule.router.middleware.RateLimitSettings.Backend.REDIS && url == null) {
            throw redis.get("url").error("required with backend: redis (e.g. redis://127.0.0.1:6379)");
        }
        String onFailure = redis.get("on_failure").string("open");
        if (!onFailure.equals("open") && !onFailure.equals("closed")) throw redis.get("on_failure").error("expected open or closed, got '" + onFailure + "'");
        List<dev.vestibule.router.middleware.RateLimitSettings.Rule> rules = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (ConfigNode rule : node.get("rules").list()) {
            rule.allowOnly(Set.of("name", "key", "limit", "per", "burst", "plans"));
            String name = rule.get("name").requiredString();
            if (!names.add(name)) throw rule.get("name").error("another rule is named '" + name + "'");
            List<String> key = rule.get("key").strings();
            if (key.isEmpty()) throw rule.get("key").error("required: consumer, subject, ip, operation, plan or claim:NAME (or a list of them)");
            for (String part : key) {
                if (!KEY_PARTS.contains(part) && !part.matches("claim:[A-Za-z0-9_.:-]+")) {
                    throw rule.get("key").error("unknown key part '" + part + "' (consumer, subject, ip, operation, plan or claim:NAME)");
                }
            }
            Map<String, dev.vestibule.router.middleware.RateLimitSettings.Limit> plans = new LinkedHashMap<>();
            rule.get("plans").map().forEach((plan, limit) -> plans.put(plan, limit(limit.allowOnly(Set.of("limit", "per", "burst")))));
            rules.add(new dev.vestibule.router.middleware.RateLimitSettings.Rule(name, key, limit(rule), plans));
        }
        return new dev.vestibule.router.middleware.RateLimitSettings(backend, url, positive(redis.get("timeout"), Duration.ofMillis(200)),
                onFailure.equals("open"), node.get("trusted_proxies").strings(), rules, node.get("local_prefilter").bool(false));
    }

    private static dev.vestibule.router.middleware.RateLimitSettings.Limit limit(ConfigNode node) {
        long limit = node.get("limit").number(-1, 1, Long.MAX_VALUE / 2);
        if (limit < 0) throw node.get("limit").error("required: the requests allowed per period");
        long burst = node.get("burst").number(limit, 1, Long.MAX_VALUE / 2);
        return new dev.vestibule.router.middleware.RateLimitSettings.Limit(limit, positive(node.get("per"), Duration.ofSeconds(1)), burst);
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
        for (int i = 0; i < algorithms.size(); i++) {
            String algorithm = algorithms.get(i);
            boolean hmac = algorithm.startsWith("HS");
            boolean known = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512").contains(algorithm);
            if (!known) throw node.get("algorithms").error("unsupported algorithm '" + algorithm + "' (RS256/384/512, PS256/384/512, ES256/384, EdDSA, or HS256/384/512 with a secret)");
            if (hmac != (secret != null)) {
                throw node.get("algorithms").error(algorithm + (hmac ? " needs a secret" : " cannot be used with a secret"));
            }
        }
        if (secret != null && secret.length() < 32) throw node.get("secret").error("an HMAC secret needs at least 32 characters");
        return new Issuer(node.get("issuer").requiredString(), url, file == null ? null : base.resolve(file).toString(), secret,
                node.get("audiences").strings(), algorithms, node.get("required_claims").strings(),
                // a file is cheap to check, and a key removed from it (revoked) should stop working soon
                positive(node.get("jwks_refresh"), file != null ? Duration.ofSeconds(10) : Duration.ofMinutes(5)),
                positive(node.get("unknown_kid_refetch"), Duration.ofSeconds(30)));
    }

    private static Duration positive(ConfigNode node, Duration defaultValue) {
        Duration value = node.duration(defaultValue);
        if (value.isZero() || value.isNegative()) throw node.error("must be more than zero");
        return value;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
