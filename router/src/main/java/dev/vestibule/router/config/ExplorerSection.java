package dev.vestibule.router.config;

import dev.vestibule.router.http.ServerSettings;
import java.util.Set;

/** The {@code explorer} section: the explorer page and the plans it shows (docs/explorer.md). */
final class ExplorerSection {
    static final String KEY = "explorer";

    /** The shortest plan secret accepted: a guessable one would expose plans to anyone. */
    static final int MIN_SECRET = 16;

    private ExplorerSection() {}

    static ServerSettings.Explorer parse(ConfigNode node) {
        node.allowOnly(Set.of("enabled", "expose_plans", "plan_secret"));
        ServerSettings.Explorer d = ServerSettings.Explorer.OFF;
        boolean exposePlans = node.get("expose_plans").bool(d.exposePlans());
        ConfigNode secretNode = node.get("plan_secret");
        String secret = secretNode.string(null);
        if (secret != null) {
            if (!exposePlans) throw secretNode.error("a plan secret needs expose_plans: true (it says who may see plans)");
            if (secret.length() < MIN_SECRET) {
                throw secretNode.error("must be at least " + MIN_SECRET + " characters (e.g. ${VESTIBULE_PLAN_SECRET} from openssl rand -hex 16)");
            }
        }
        return new ServerSettings.Explorer(node.get("enabled").bool(d.enabled()), exposePlans, secret);
    }
}
