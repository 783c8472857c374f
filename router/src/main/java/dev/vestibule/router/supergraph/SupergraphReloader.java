package dev.vestibule.router.supergraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hot reload: polls the files a supergraph comes from (the supergraph file, or a subgraphs config and its schema
 * files) and, when one changes, loads the supergraph again. A good one is handed on; a broken one is reported and the
 * previous supergraph stays in service. Polling (not a file-system watch) works the same on every file system and
 * with editors that replace files.
 */
public final class SupergraphReloader implements AutoCloseable {
    /** Produces the supergraph from the watched files; throws with the reason when they are broken. */
    public interface Loader {
        Supergraph load() throws Exception;
    }

    private final List<Path> watched;
    private final Loader loader;
    private final Consumer<Supergraph> onLoaded;
    private final Consumer<String> onFailure;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("supergraph-reload").factory());
    private String fingerprint;

    public SupergraphReloader(List<Path> watched, Loader loader, Consumer<Supergraph> onLoaded, Consumer<String> onFailure) {
        this.watched = List.copyOf(watched);
        this.loader = loader;
        this.onLoaded = onLoaded;
        this.onFailure = onFailure;
        this.fingerprint = fingerprint();
    }

    public SupergraphReloader start(Duration interval) {
        timer.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check: reload when a watched file changed since the last check. */
    void poll() {
        String now = fingerprint();
        if (now.equals(fingerprint)) return;
        fingerprint = now;
        try {
            onLoaded.accept(loader.load());
        } catch (Exception e) {
            onFailure.accept(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private String fingerprint() {
        StringBuilder text = new StringBuilder();
        for (Path path : watched) {
            try {
                text.append(path).append(':').append(Files.getLastModifiedTime(path).toMillis()).append(':').append(Files.size(path)).append(';');
            } catch (IOException e) {
                text.append(path).append(":absent;");
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
