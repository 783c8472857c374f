package dev.vestibule.router.supergraph;

import dev.vestibule.router.files.WatchedFiles;
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
 * with editors that replace files; {@link WatchedFiles} says when a change counts.
 */
public final class SupergraphReloader implements AutoCloseable {
    /** Produces the supergraph from the watched files; throws with the reason when they are broken. */
    public interface Loader {
        Supergraph load() throws Exception;
    }

    private final WatchedFiles watched;
    private final Loader loader;
    private final Consumer<Supergraph> onLoaded;
    private final Consumer<String> onFailure;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("supergraph-reload").factory());

    public SupergraphReloader(List<Path> watched, Loader loader, Consumer<Supergraph> onLoaded, Consumer<String> onFailure) {
        this.watched = new WatchedFiles(watched);
        this.loader = loader;
        this.onLoaded = onLoaded;
        this.onFailure = onFailure;
    }

    public SupergraphReloader start(Duration interval) {
        timer.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check: reload when the watched files' content changed and stayed so since the previous check. */
    void poll() {
        if (!watched.changedAndSettled()) return;
        try {
            onLoaded.accept(loader.load());
        } catch (Exception e) {
            onFailure.accept(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
