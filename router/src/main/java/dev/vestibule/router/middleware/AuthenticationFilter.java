package dev.vestibule.router.middleware;

/**
 * Authentication ({@link Authenticator}) with the route's mode: a refusal is 401 (403 for missing scopes) with its
 * WWW-Authenticate header; an admitted request is identified: its identity, the identity's subgraph headers, and
 * the {@link dev.vestibule.router.operation.Caller} it runs as (the policies it satisfies, evaluated here once).
 */
public final class AuthenticationFilter implements EdgeFilter {
    private final Authenticator authenticator;
    private final AuthorizationPolicies authorization;

    public AuthenticationFilter(Authenticator authenticator, AuthorizationPolicies authorization) {
        this.authenticator = authenticator;
        this.authorization = authorization;
    }

    @Override
    public Phase phase() {
        return Phase.REQUEST;
    }

    @Override
    public Decision apply(EdgeRequest request) {
        return switch (authenticator.admit(request.path(), request::header)) {
            case Admission.Refused refused -> Decision.Reject.of(refused);
            case Admission.Admitted admitted -> {
                request.identify(admitted.identity(), admitted.subgraphHeaders(), authorization.caller(admitted.identity()));
                yield Decision.CONTINUE;
            }
        };
    }
}
