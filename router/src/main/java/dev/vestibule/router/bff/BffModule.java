package dev.vestibule.router.bff;

import java.time.Duration;
import java.util.List;

/**
 * A BFF module: the routes one client experience needs ("one experience, one BFF"), owned by the frontend team of
 * that client. The router finds modules on its class path ({@link java.util.ServiceLoader}: a module lists its class
 * in {@code META-INF/services/dev.vestibule.router.bff.BffModule}) and mounts each under {@link #prefix()}. A module
 * holds no state the host does not give it: its routes map a request to an operation's variables and shape the
 * operation's data for the screen; everything else (identity, limits, deadlines, failure policy, caching) is the
 * host's, declared per route in {@link RoutePolicy}.
 */
public interface BffModule {

    /** The client's name ("mobile", "web"): the path prefix by default, the OpenAPI title, the name in logs. */
    String client();

    /** Where the module's routes live; every route path starts with it. */
    default String prefix() {
        return "/" + client();
    }

    /** How the client proves who it is. */
    default Credentials credentials() {
        return Credentials.BEARER;
    }

    /**
     * The most requests of this module that run at once; one more is answered 503 at once (a bulkhead: a slow or
     * stuck screen of this client cannot take the router's capacity from the others).
     */
    default int maxConcurrency() {
        return 64;
    }

    /** The deadline of a route that names none (shorter than the router's request timeout, or clamped to it). */
    default Duration deadline() {
        return Duration.ofSeconds(5);
    }

    /** A version for the OpenAPI document. */
    default String version() {
        return "1";
    }

    List<BffRoute<?, ?, ?>> routes();

    /** How a module's client authenticates. */
    enum Credentials {
        /**
         * A bearer token (or API key) on each request, verified by the router's authentication: apps that keep their
         * token themselves (mobile).
         */
        BEARER,
        /**
         * A session cookie ({@code HttpOnly}, {@code Secure}, {@code SameSite=Strict}) that holds the signed token the
         * client logged in with ({@code POST {prefix}/login} with the bearer token, {@code POST {prefix}/logout}); the
         * browser's JavaScript never sees the token. State-changing routes need the CSRF token the login returned, in
         * an {@code x-csrf-token} header (browsers).
         */
        SESSION
    }
}
