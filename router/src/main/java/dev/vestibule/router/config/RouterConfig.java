package dev.vestibule.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.bff.BffSettings;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.AuthenticationSettings;
import dev.vestibule.router.middleware.AuthorizationPolicies;
import dev.vestibule.router.middleware.BrowserPolicy;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.middleware.HeaderRules;
import dev.vestibule.router.middleware.PersistedQueries;
import dev.vestibule.router.middleware.RateLimitSettings;
import dev.vestibule.router.telemetry.TelemetrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * The router's YAML configuration ({@code serve --config router.yaml}), validated at start: every option, its
 * default and an example are in docs/configuration.md. Unknown keys are errors; {@code ${VAR}} takes a value from the
 * environment. Each top-level key is read by its own section class ({@link RouterSection}, {@link ServerSection},
 * {@link CorsSection}, {@link CsrfSection}, {@link AuthenticationSection}, {@link AuthorizationSection},
 * {@link RateLimitsSection}, {@link PersistedQueriesSection}, {@link HeadersSection}, {@link TrafficShapingSection},
 * {@link SubgraphConnectionsSection}, {@link TelemetrySection}, {@link BffSection}, {@link ExplorerSection}); a new
 * feature adds a section, a component here and a line in {@link #parse}.
 *
 * @param settings the engine's settings (router, with rate_limits.subgraphs, traffic_shaping and subgraph_connections)
 * @param server   the HTTP server's settings (server, with router.max_body_bytes, router.dev and explorer)
 */
public record RouterConfig(RouterSettings settings, ServerSettings server, BrowserPolicy browser,
                           AuthenticationSettings authentication, RateLimitSettings rateLimits,
                           PersistedQueries.Settings persistedQueries, HeaderRules headers, AuthorizationPolicies authorization,
                           TelemetrySettings telemetry, BffSettings bff) {

    public static final RouterConfig DEFAULTS = new RouterConfig(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS,
            BrowserPolicy.DEFAULTS, AuthenticationSettings.OFF, RateLimitSettings.NONE, PersistedQueries.Settings.DEFAULTS,
            HeaderRules.NONE, AuthorizationPolicies.NONE, TelemetrySettings.OFF, BffSettings.DEFAULTS);

    private static final Set<String> SECTIONS = Set.of(RouterSection.KEY, ServerSection.KEY, CorsSection.KEY, CsrfSection.KEY,
            AuthenticationSection.KEY, AuthorizationSection.KEY, RateLimitsSection.KEY, PersistedQueriesSection.KEY, HeadersSection.KEY,
            TrafficShapingSection.KEY, SubgraphConnectionsSection.KEY, TelemetrySection.KEY, BffSection.KEY, ExplorerSection.KEY);

    /** The edge policy this config describes (the caller closes it). */
    public EdgePolicy edgePolicy() {
        return EdgePolicy.of(browser, authentication, rateLimits, persistedQueries, headers, authorization);
    }

    /** This config with development mode set as {@code serve --dev} says. */
    public RouterConfig withDevMode(boolean dev) {
        return withServer(server.withDevMode(dev));
    }

    public RouterConfig withSettings(RouterSettings engine) {
        return new RouterConfig(engine, server, browser, authentication, rateLimits, persistedQueries, headers, authorization, telemetry, bff);
    }

    public RouterConfig withServer(ServerSettings http) {
        return new RouterConfig(settings, http, browser, authentication, rateLimits, persistedQueries, headers, authorization, telemetry, bff);
    }

    public RouterConfig withTelemetry(TelemetrySettings next) {
        return new RouterConfig(settings, server, browser, authentication, rateLimits, persistedQueries, headers, authorization, next, bff);
    }

    public RouterConfig withBff(BffSettings modules) {
        return new RouterConfig(settings, server, browser, authentication, rateLimits, persistedQueries, headers, authorization, telemetry, modules);
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
        root.allowOnly(SECTIONS);
        RouterSection router = RouterSection.parse(root.get(RouterSection.KEY));
        RateLimitsSection rateLimits = RateLimitsSection.parse(root.get(RateLimitsSection.KEY));
        ServerSettings server = ServerSection.parse(root.get(ServerSection.KEY), router, base)
                .withExplorer(ExplorerSection.parse(root.get(ExplorerSection.KEY)));
        AuthenticationSettings authentication = AuthenticationSection.parse(root.get(AuthenticationSection.KEY), base);
        CorsSection cors = CorsSection.parse(root.get(CorsSection.KEY));
        CsrfSection csrf = CsrfSection.parse(root.get(CsrfSection.KEY));
        PersistedQueries.Settings persisted = PersistedQueriesSection.parse(root.get(PersistedQueriesSection.KEY), base);
        HeaderRules headers = HeadersSection.parse(root.get(HeadersSection.KEY), Set.copyOf(authentication.forwardClaims().values()));
        AuthorizationPolicies authorization = AuthorizationSection.parse(root.get(AuthorizationSection.KEY));
        TelemetrySettings telemetry = TelemetrySection.parse(root.get(TelemetrySection.KEY), base);
        RouterSettings settings = router.settings().toBuilder().subgraphLimits(rateLimits.subgraphs())
                .trafficShaping(TrafficShapingSection.parse(root.get(TrafficShapingSection.KEY)))
                .subgraphConnections(SubgraphConnectionsSection.parse(root.get(SubgraphConnectionsSection.KEY), base)).build();
        return new RouterConfig(settings, server, csrf.browserPolicy(cors), authentication, rateLimits.edge(), persisted, headers,
                authorization, telemetry, BffSection.parse(root.get(BffSection.KEY)));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
