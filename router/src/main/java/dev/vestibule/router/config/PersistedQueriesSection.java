package dev.vestibule.router.config;

import dev.vestibule.router.middleware.PersistedQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The {@code persisted_queries} section: APQ (in memory or Redis) or a safelist manifest. */
final class PersistedQueriesSection {
    static final String KEY = "persisted_queries";

    private PersistedQueriesSection() {}

    /** @param base the config file's directory: the manifest is relative to it */
    static PersistedQueries.Settings parse(ConfigNode node, Path base) {
        PersistedQueries.Settings d = PersistedQueries.Settings.DEFAULTS;
        node.allowOnly(Set.of("apq", "cache_size", "redis", "ttl", "safelist"));
        ConfigNode redis = node.get("redis").allowOnly(Set.of("url"));
        ConfigNode safelist = node.get("safelist").allowOnly(Set.of("manifest"));
        String manifest = safelist.get("manifest").string(null);
        if (manifest != null && !Files.isRegularFile(base.resolve(manifest))) {
            throw safelist.get("manifest").error("no such file: " + base.resolve(manifest));
        }
        return new PersistedQueries.Settings(node.get("apq").bool(d.apq()),
                (int) node.get("cache_size").number(d.cacheSize(), 1, 10_000_000), redis.get("url").string(null),
                node.get("ttl").positiveDuration(d.ttl()), manifest == null ? null : base.resolve(manifest));
    }
}
