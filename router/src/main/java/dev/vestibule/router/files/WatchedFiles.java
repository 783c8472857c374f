package dev.vestibule.router.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Files read again when they change (the supergraph, the config's traffic_shaping, certificates), polled by their
 * content. Two things make a poll see what a writer meant to write:
 * <ul>
 * <li>The bytes are compared, not the modification time: a rewrite within the file system's time resolution (a
 * second on some) with the same size would otherwise never be seen.</li>
 * <li>A change counts once the content has stayed the same for one poll. A file read while it is being written (a
 * truncated, partly written config is often valid YAML, meaning something else) changes again by the next poll and
 * is never applied.</li>
 * </ul>
 */
public final class WatchedFiles {
    private final List<Path> files;
    private byte[] accepted;
    private byte[] seen;

    /** Watches {@code files}; their content now counts as the accepted one. */
    public WatchedFiles(List<Path> files) {
        this.files = List.copyOf(files);
        this.accepted = fingerprint(this.files);
        this.seen = accepted;
    }

    /**
     * One poll: true when the content differs from the accepted one and is the same as at the previous poll; it then
     * becomes the accepted one (the caller reloads, whether or not the reload succeeds: a broken file is reported
     * once, not at every poll).
     */
    public synchronized boolean changedAndSettled() {
        byte[] now = fingerprint(files);
        boolean settled = Arrays.equals(now, seen);
        seen = now;
        if (!settled || Arrays.equals(now, accepted)) return false;
        accepted = now;
        return true;
    }

    /**
     * A digest of the files' bytes (a missing or unreadable file counts as its error, so that its appearing is a
     * change).
     */
    public static byte[] fingerprint(List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (IOException e) {
                    content = e.getClass().getName().getBytes(StandardCharsets.US_ASCII);
                    digest.update((byte) 1);
                }
                // each file's length first: bytes moved from one file to the next are a change
                digest.update(ByteBuffer.allocate(Long.BYTES).putLong(content.length).array());
                digest.update(content);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
