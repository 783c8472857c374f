package dev.vestibule.router.config;

import dev.vestibule.router.http.ServerSettings;
import java.util.Set;

/** The {@code explorer} section: the explorer page and the plans it shows (docs/explorer.md). */
final class ExplorerSection {
    static final String KEY = "explorer";

    private ExplorerSection() {}

    static ServerSettings.Explorer parse(ConfigNode node) {
        node.allowOnly(Set.of("enabled", "expose_plans"));
        ServerSettings.Explorer d = ServerSettings.Explorer.OFF;
        return new ServerSettings.Explorer(node.get("enabled").bool(d.enabled()), node.get("expose_plans").bool(d.exposePlans()));
    }
}
