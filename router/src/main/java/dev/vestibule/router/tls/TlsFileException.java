package dev.vestibule.router.tls;

import java.nio.file.Path;

/** A certificate or key file that cannot be used: the message names the file and what is wrong with it. */
public final class TlsFileException extends RuntimeException {
    private final Path file;

    public TlsFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public TlsFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
