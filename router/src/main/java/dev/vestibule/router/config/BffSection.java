package dev.vestibule.router.config;

import dev.vestibule.router.bff.BffSettings;
import java.util.Set;

/** The {@code bff} section: whether the BFF modules on the class path are mounted, and which. */
final class BffSection {
    static final String KEY = "bff";

    private BffSection() {}

    static BffSettings parse(ConfigNode bff) {
        if (bff.isMissing()) return BffSettings.DEFAULTS;
        bff.allowOnly(Set.of("enabled", "modules"));
        return new BffSettings(bff.get("enabled").bool(true),
                bff.get("modules").isMissing() ? BffSettings.DEFAULTS.modules() : bff.get("modules").strings());
    }
}
