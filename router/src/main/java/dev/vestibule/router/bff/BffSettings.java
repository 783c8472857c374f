package dev.vestibule.router.bff;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code bff} section of the router config: whether the BFF modules on the class path are mounted, and which.
 *
 * @param enabled whether to mount modules at all
 * @param modules the client names to mount; empty: every module found
 */
public record BffSettings(boolean enabled, List<String> modules) {
    public static final BffSettings DEFAULTS = new BffSettings(true, List.of());

    public BffSettings {
        modules = List.copyOf(modules);
    }

    /**
     * The modules to mount out of those found.
     *
     * @throws IllegalArgumentException when a listed module is not on the class path
     */
    public List<BffModule> select(List<BffModule> found) {
        if (!enabled) return List.of();
        if (modules.isEmpty()) return found;
        List<BffModule> chosen = new ArrayList<>();
        for (String name : modules) {
            BffModule module = found.stream().filter(m -> m.client().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("bff.modules: no BFF module '" + name + "' is on the class path (found: "
                            + String.join(", ", found.stream().map(BffModule::client).toList()) + ")"));
            chosen.add(module);
        }
        return chosen;
    }
}
