package dev.vestibule.router.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Poll by poll: when a change of watched files counts (a reload follows), and when it does not. */
class WatchedFilesTest {

    @Test
    void aChangeCountsOnceItHasStayedTheSameForOnePoll(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("router.yaml"), "weight: 10\n");
        WatchedFiles watched = new WatchedFiles(List.of(config));
        assertThat(watched.changedAndSettled()).as("nothing changed").isFalse();
        Files.writeString(config, "weight: 50\n");
        assertThat(watched.changedAndSettled()).as("first seen").isFalse();
        assertThat(watched.changedAndSettled()).as("the same at the next poll").isTrue();
        assertThat(watched.changedAndSettled()).as("counted once").isFalse();
    }

    @Test
    void contentSeenWhileItIsBeingWrittenIsNeverApplied(@TempDir Path dir) throws Exception {
        String full = "traffic_shaping:\n  callers:\n    sticky_header: x-user-id\n  subgraphs:\n    products: {}\n";
        Path config = Files.writeString(dir.resolve("router.yaml"), "traffic_shaping: {}\n");
        WatchedFiles watched = new WatchedFiles(List.of(config));
        // a poll reads the file truncated, then partly written (valid YAML that means something else)
        Files.writeString(config, "");
        assertThat(watched.changedAndSettled()).isFalse();
        Files.writeString(config, full.substring(0, full.indexOf("  subgraphs")));
        assertThat(watched.changedAndSettled()).isFalse();
        Files.writeString(config, full);
        assertThat(watched.changedAndSettled()).isFalse();
        assertThat(watched.changedAndSettled()).as("the whole file, once it stays").isTrue();
    }

    @Test
    void aRewriteWithTheSameSizeAndModificationTimeIsSeen(@TempDir Path dir) throws Exception {
        // file systems with a one- or two-second time resolution give two writes within it the same time
        FileTime time = FileTime.fromMillis(1_700_000_000_000L);
        Path config = Files.writeString(dir.resolve("router.yaml"), "weight: 10\n");
        Files.setLastModifiedTime(config, time);
        WatchedFiles watched = new WatchedFiles(List.of(config));
        Files.writeString(config, "weight: 20\n");
        Files.setLastModifiedTime(config, time);
        assertThat(watched.changedAndSettled()).isFalse();
        assertThat(watched.changedAndSettled()).isTrue();
    }

    @Test
    void aFileThatGoesAndComesBackIsAChangeEachTime(@TempDir Path dir) throws Exception {
        Path schema = Files.writeString(dir.resolve("products.graphql"), "type Query { a: Int }\n");
        Path other = Files.writeString(dir.resolve("reviews.graphql"), "type Query { b: Int }\n");
        WatchedFiles watched = new WatchedFiles(List.of(schema, other));
        Files.delete(schema);
        watched.changedAndSettled();
        assertThat(watched.changedAndSettled()).as("gone").isTrue();
        Files.writeString(schema, "type Query { a: Int }\n");
        watched.changedAndSettled();
        assertThat(watched.changedAndSettled()).as("back").isTrue();
        // bytes moved from one file to the next are a change, though the concatenation is the same
        Path first = Files.writeString(dir.resolve("x"), "ab");
        Path second = Files.writeString(dir.resolve("y"), "c");
        byte[] before = WatchedFiles.fingerprint(List.of(first, second));
        Files.writeString(first, "a");
        Files.writeString(second, "bc");
        assertThat(WatchedFiles.fingerprint(List.of(first, second))).isNotEqualTo(before);
    }
}
