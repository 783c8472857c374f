package dev.vestibule.router.config;

import dev.vestibule.router.middleware.PersistedQueries;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code persisted_queries} section: APQ (in memory or Redis), a safelist manifest, safelists per client. */
final class PersistedQueriesSection {
    static final String KEY = "persisted_queries";

    /** What a client's value may be instead of a file: its BFF module's manifest, from a jar on the router's class path. */
    static final String CLASSPATH = "classpath";

    enum UnlistedClients { ALLOW, REJECT }

    private PersistedQueriesSection() {}

    /** @param base the config file's directory: the manifest is relative to it */
    static PersistedQueries.Settings parse(ConfigNode node, Path base) {
        PersistedQueries.Settings d = PersistedQueries.Settings.DEFAULTS;
        node.allowOnly(Set.of("apq", "cache_size", "redis", "ttl", "safelist", "clients", "client_header", "unlisted_clients"));
        ConfigNode redis = node.get("redis").allowOnly(Set.of("url"));
        ConfigNode safelist = node.get("safelist").allowOnly(Set.of("manifest"));
        String manifest = safelist.get("manifest").string(null);
        if (manifest != null && !Files.isRegularFile(base.resolve(manifest))) {
            throw safelist.get("manifest").error("no such file: " + base.resolve(manifest));
        }
        Map<String, URL> clients = new LinkedHashMap<>();
        node.get("clients").map().forEach((client, value) -> clients.put(client, clientManifest(client, value, base)));
        String clientHeader = node.get("client_header").string(PersistedQueries.CLIENT_HEADER);
        if (clientHeader.isBlank()) throw node.get("client_header").error("needs a header name");
        boolean rejectUnlisted = node.get("unlisted_clients").choice(UnlistedClients.class, UnlistedClients.ALLOW) == UnlistedClients.REJECT;
        if (rejectUnlisted && clients.isEmpty()) throw node.get("unlisted_clients").error("reject needs persisted_queries.clients");
        return new PersistedQueries.Settings(node.get("apq").bool(d.apq()),
                (int) node.get("cache_size").number(d.cacheSize(), 1, 10_000_000), redis.get("url").string(null),
                node.get("ttl").positiveDuration(d.ttl()), manifest == null ? null : base.resolve(manifest), Map.copyOf(clients),
                clientHeader, rejectUnlisted);
    }

    /** A client's manifest: {@code classpath} (the BFF module's jar, META-INF/vestibule/bff/NAME/...) or a file. */
    private static URL clientManifest(String client, ConfigNode value, Path base) {
        String where = value.requiredString();
        if (where.equals(CLASSPATH)) {
            String resource = "META-INF/vestibule/bff/" + client + "/persisted-operations.json";
            URL url = PersistedQueriesSection.class.getClassLoader().getResource(resource);
            if (url == null) {
                throw value.error("no " + resource + " on the router's class path: put the client's BFF module jar (e.g. bff-"
                        + client + ".jar) on it, or give the manifest's file");
            }
            return url;
        }
        Path file = base.resolve(where);
        if (!Files.isRegularFile(file)) throw value.error("no such file: " + file);
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw value.error("not a file path: " + where);
        }
    }
}
