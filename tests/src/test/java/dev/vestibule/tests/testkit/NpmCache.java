package dev.vestibule.tests.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * npm packages the tests run beside the router (reference gateways, the browser driver), installed once into
 * ~/.cache/vestibule (or -Dvestibule.cache): into a temporary folder first, then renamed into place, so that an
 * interrupted install or two test JVMs at once never leave a half-installed folder behind.
 */
public final class NpmCache {
    private NpmCache() {}

    /**
     * The cache's folder {@code name} with {@code packages} installed in it, installing them when {@code mainPackage}
     * is missing there.
     *
     * @param timeout how long npm may take (large dependency trees take minutes on a slow registry)
     */
    public static synchronized Path install(String name, String mainPackage, List<String> packages, Duration timeout)
            throws IOException, InterruptedException {
        Path cache = Path.of(System.getProperty("vestibule.cache", System.getProperty("user.home") + "/.cache/vestibule"));
        Path folder = cache.resolve(name);
        if (Files.exists(folder.resolve("node_modules/" + mainPackage + "/package.json"))) return folder;
        Files.createDirectories(cache);
        Path staging = Files.createTempDirectory(cache, "staging-");
        Files.writeString(staging.resolve("package.json"), "{\"name\":\"vestibule-" + name + "\",\"private\":true,\"type\":\"module\"}");
        List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"));
        command.addAll(packages);
        Process npm = new ProcessBuilder(command).directory(staging.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!npm.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + String.join(" ", packages) + " failed in " + staging);
        }
        if (!Files.exists(folder)) {
            try {
                Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(folder)) throw raced;
            }
        }
        return folder;
    }
}
