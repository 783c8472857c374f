package dev.vestibule.router.middleware;

import java.util.Map;

/**
 * What an {@link EdgeFilter} decided about a request: go on to the next filter ({@link #CONTINUE}), refuse it with
 * a GraphQL error ({@link Reject}), or answer it without a body ({@link Respond}, a CORS preflight). A filter that
 * lets a request through returns the one {@link #CONTINUE}: nothing is allocated for the common case.
 */
public sealed interface Decision {
    Continue CONTINUE = new Continue();

    /** Let through; use {@link #CONTINUE}. */
    record Continue() implements Decision {}

    /**
     * Refused before the router runs the operation: the HTTP status, response headers (WWW-Authenticate, Retry-After...),
     * and the GraphQL error's message and code. {@code requestError}: the GraphQL request itself is at fault (a
     * persisted query unknown or not in the safelist, a hash mismatch), as opposed to a refusal of the caller or the
     * HTTP request; the HTTP layer answers it like the router's own request errors (their status kept on POST; on GET
     * with the legacy application/json type, 200, as GraphQL over HTTP says for a request that reached GraphQL).
     */
    record Reject(int status, Map<String, String> headers, String message, String code, boolean requestError) implements Decision {
        public Reject {
            headers = Map.copyOf(headers);
        }

        public Reject(int status, String message, String code) {
            this(status, Map.of(), message, code, false);
        }

        /** The edge decision for a refusal of one of the policy's parts (authentication, CSRF, rate limits). */
        public static Reject of(Admission.Refused refused) {
            return new Reject(refused.status(), refused.headers(), refused.message(), refused.code(), false);
        }
    }

    /** Answered here with this status and these headers and no body (a CORS preflight's 204). */
    record Respond(int status, Map<String, String> headers) implements Decision {}
}
