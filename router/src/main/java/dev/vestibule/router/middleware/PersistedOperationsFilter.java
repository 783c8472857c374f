package dev.vestibule.router.middleware;

import dev.vestibule.router.operation.GraphQLErrors;
import dev.vestibule.router.operation.RequestError;
import java.util.Map;

/**
 * Persisted operations ({@link PersistedQueries}): an APQ hash becomes the operation's text, a safelist refuses what
 * it does not list. Its refusals are request errors ({@link Decision.Reject#requestError}).
 */
public final class PersistedOperationsFilter implements EdgeFilter {
    private final PersistedQueries persisted;

    public PersistedOperationsFilter(PersistedQueries persisted) {
        this.persisted = persisted;
    }

    @Override
    public Phase phase() {
        return Phase.OPERATION;
    }

    @Override
    public Decision apply(EdgeRequest request) {
        if (request.operation() == null) return Decision.CONTINUE; // a route that names its operation itself
        try {
            String clientHeader = persisted.clientHeader();
            request.operation(persisted.resolve(request.operation(), clientHeader == null ? null : request.header(clientHeader)));
            return Decision.CONTINUE;
        } catch (RequestError e) {
            Map<String, Object> error = e.errors().get(0);
            return new Decision.Reject(e.status(), Map.of(), String.valueOf(GraphQLErrors.message(error)),
                    String.valueOf(GraphQLErrors.code(error)), true);
        }
    }
}
