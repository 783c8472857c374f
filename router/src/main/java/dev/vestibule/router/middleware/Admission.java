package dev.vestibule.router.middleware;

import java.util.Map;

/** What the edge policy decided about a request, before any subgraph sees it. */
public sealed interface Admission {
    /** Let through, with the headers subgraphs receive for it (the identity, never a client's copy). */
    record Admitted(Identity identity, Map<String, String> subgraphHeaders) implements Admission {}

    /** Refused: the HTTP status, the response headers (WWW-Authenticate...), a message and an error code. */
    record Refused(int status, Map<String, String> headers, String message, String code) implements Admission {}
}
