package dev.vestibule.router.bff;

import dev.vestibule.router.bff.BffHost.MountedModule;
import dev.vestibule.router.middleware.EdgeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One request on a BFF route, whatever HTTP server carries it (the router's Jetty handler in process, Javalin in a
 * standalone BFF): what {@link BffService} reads of the request and writes of the answer, and what the edge filters
 * see ({@link EdgeRequest}). The server's adapter implements the abstract methods; one instance per request.
 */
abstract class BffExchange extends EdgeRequest {
    final MountedModule module;
    /** The request's id ({@code x-request-id}, or a new one): in the answer's header, its problem body and the log. */
    final String id;
    /** The request's path, as sent. */
    final String path;
    /** The route template: what authentication's per-route modes name. */
    String template;
    /** The session cookie's token, for session modules; null without one. */
    String sessionToken;

    BffExchange(MountedModule module, String id, String path) {
        this.module = module;
        this.id = id;
        this.path = path;
        this.template = path;
    }

    /** The request header as sent (any case), its first value; null when absent. */
    abstract String requestHeader(String name);

    /** The query string as sent (not decoded); null when none. */
    abstract String rawQuery();

    /** The query parameters, decoded, by name. */
    abstract Map<String, List<String>> queryParameters();

    /** The declared body length; -1 when unknown (chunked). */
    abstract long contentLength();

    /**
     * The whole body, at most {@code limit} bytes, within {@code timeout}.
     *
     * @throws BodyProblem when it is larger, too slow, or cut off
     */
    abstract byte[] readBody(long limit, Duration timeout) throws BodyProblem, InterruptedException;

    /** Adds a header to the answer (Set-Cookie may repeat). */
    abstract void addResponseHeader(String name, String value);

    abstract boolean hasResponseHeader(String name);

    /** Whether the answer's status and headers are gone already (no problem body can replace it then). */
    abstract boolean committed();

    /** Sends the answer: status, content type, body (none for HEAD). */
    abstract void send(int status, String contentType, byte[] body);

    abstract void sendEmpty(int status);

    /** The path the edge filters see: the route's template once matched. */
    @Override
    public final String path() {
        return template;
    }

    /**
     * The request's header; for a session module without an Authorization header, its session cookie stands for it
     * as a bearer token, so the router's authentication verifies the session exactly as a bearer token.
     */
    @Override
    public final String header(String name) {
        String value = requestHeader(name);
        if (value == null && sessionToken != null && name.equalsIgnoreCase("authorization")) return "Bearer " + sessionToken;
        return value;
    }

    /** Why a body could not be read. */
    static final class BodyProblem extends Exception {
        enum Kind { TOO_LARGE, TOO_SLOW, INCOMPLETE }

        final Kind kind;

        BodyProblem(Kind kind) {
            super(kind.name(), null, false, false);
            this.kind = kind;
        }
    }
}
