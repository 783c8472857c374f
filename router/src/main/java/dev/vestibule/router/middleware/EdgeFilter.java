package dev.vestibule.router.middleware;

/**
 * One check or step a request passes at the edge, before the router runs its operation (Zuul's filters, in one
 * {@link EdgeChain}): CORS, CSRF, authentication, persisted operations, rate limits, subgraph header rules. Each
 * runs in one {@link Phase}, reads what it needs from the {@link EdgeRequest}, may record what it learned there (the
 * identity, the operation's text, the subgraphs' headers) or add response headers, and decides.
 */
public interface EdgeFilter {
    /** When a filter runs: what is known about the request by then. */
    enum Phase {
        /**
         * The HTTP request is known: method, path, headers, remote address (a POST's body has been read, so that
         * a refusal leaves the connection usable). CORS, CSRF, authentication; BFF routes run this phase too.
         */
        REQUEST,
        /** The GraphQL request is parsed: persisted operations turn a hash into the operation's text, or refuse it. */
        OPERATION,
        /**
         * The operation is about to run (its text is known and the protocol accepted it, e.g. no mutation over GET):
         * rate limits spend a token, the header rules choose what each subgraph receives.
         */
        ADMISSION
    }

    Phase phase();

    /** Decides about one request; may update it (identity, operation, subgraph headers) and add response headers. */
    Decision apply(EdgeRequest request);
}
