package dev.vestibule.tests.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.bff.BffHost;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.bff.BffSettings;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding modules on the class path (ServiceLoader) and the config's bff section (strict keys, unknown modules named). */
class BffConfigTest {

    @Test
    void modulesAreFoundByTheirServiceFileOnTheClassPath(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(BffModule.class.getName()), DiscoveredModule.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<BffModule> found = BffHost.discover(loader);
            // the real client modules (bff-mobile, bff-web: dependencies of this module) are found the same way
            assertThat(found).extracting(BffModule::client).containsExactlyInAnyOrder("found", "mobile", "web");
            assertThat(new BffSettings(true, List.of()).select(found)).hasSize(3);
            assertThat(new BffSettings(false, List.of()).select(found)).isEmpty();
            assertThat(new BffSettings(true, List.of("found")).select(found)).hasSize(1);
            assertThatThrownBy(() -> new BffSettings(true, List.of("kiosk")).select(found))
                    .hasMessageStartingWith("bff.modules: no BFF module 'kiosk' is on the class path (found: ")
                    .hasMessageContainingAll("found", "mobile", "web");
        }
    }

    @Test
    void theBffSectionIsStrictAndAModuleItNamesMustExist(@TempDir Path dir) throws Exception {
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("a.yaml"), "bff:\n  enabled: false\n  modules: [mobile]\n"));
        assertThat(config.bff()).isEqualTo(new BffSettings(false, List.of("mobile")));
        assertThat(RouterConfig.load(Files.writeString(dir.resolve("b.yaml"), "router:\n  dev: false\n")).bff()).isEqualTo(BffSettings.DEFAULTS);
        assertThatThrownBy(() -> RouterConfig.load(Files.writeString(dir.resolve("c.yaml"), "bff:\n  modlues: [mobile]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bff.modlues: unknown key");
        RouterConfig missing = RouterConfig.load(Files.writeString(dir.resolve("d.yaml"), "bff:\n  modules: [kiosk]\n"));
        var supergraph = SupergraphLoader.load(Files.readString(Path.of("..", "schemas", "supergraph.graphql")));
        assertThatThrownBy(() -> VestibuleServer.start(supergraph, missing, "127.0.0.1", 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no BFF module 'kiosk' is on the class path");
    }
}
