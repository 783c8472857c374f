package dev.vestibule.router.supergraph;

/** A supergraph the router cannot serve: the message says what is wrong and where. */
public final class SupergraphException extends RuntimeException {
    public SupergraphException(String message) {
        super(message);
    }

    public SupergraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
