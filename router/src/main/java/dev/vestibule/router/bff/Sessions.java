package dev.vestibule.router.bff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Session cookies of {@link BffModule.Credentials#SESSION} modules (the token-handler shape of a BFF for browsers, as
 * in the IETF's "OAuth 2.0 for Browser-Based Applications": the browser's JavaScript never holds the token). The
 * session cookie holds the signed token the client logged in with; on each request the host hands it to the router's
 * authentication as a bearer token, so its signature, issuer, audience and expiry are verified exactly as for /graphql
 * and the identity headers subgraphs receive are the router's. The cookie is {@code HttpOnly} (no script reads it),
 * {@code Secure}, {@code SameSite=Strict} and {@code __Host-} prefixed (no subdomain can set or shadow it).
 *
 * <p>CSRF: the login answers a CSRF token, the sha-256 of the session token (so the host keeps no state and needs no
 * key of its own: nobody who cannot read the HttpOnly cookie can compute it); the frontend sends it back in
 * {@code x-csrf-token} on every state-changing request, which a cross-site form or link cannot do.
 */
final class Sessions {
    static final String CSRF_HEADER = "x-csrf-token";

    private Sessions() {}

    static String sessionCookie(String client) {
        return "__Host-" + client + "-session";
    }

    static String csrfCookie(String client) {
        return "__Host-" + client + "-csrf";
    }

    /** The value of cookie {@code name} in a Cookie header; null when absent. No regex: a scan of the header. */
    static String cookie(String header, String name) {
        if (header == null) return null;
        int at = 0;
        int length = header.length();
        while (at < length) {
            int end = header.indexOf(';', at);
            if (end < 0) end = length;
            int start = at;
            while (start < end && header.charAt(start) == ' ') start++;
            int equals = header.indexOf('=', start);
            if (equals > 0 && equals < end && equals - start == name.length() && header.regionMatches(start, name, 0, name.length())) {
                String value = header.substring(equals + 1, end).trim();
                if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') value = value.substring(1, value.length() - 1);
                return value.isEmpty() ? null : value;
            }
            at = end + 1;
        }
        return null;
    }

    static String csrfToken(String sessionToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("vestibule-csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static boolean csrfMatches(String sessionToken, String sent) {
        if (sent == null) return false;
        return MessageDigest.isEqual(csrfToken(sessionToken).getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.UTF_8));
    }

    static String setSession(String client, String token, long maxAgeSeconds) {
        return sessionCookie(client) + "=" + token + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; Secure; SameSite=Strict";
    }

    /** The CSRF cookie: readable by the frontend's script (not HttpOnly), so that it can send it back as a header. */
    static String setCsrf(String client, String csrf, long maxAgeSeconds) {
        return csrfCookie(client) + "=" + csrf + "; Path=/; Max-Age=" + maxAgeSeconds + "; Secure; SameSite=Strict";
    }

    static String clearSession(String client) {
        return sessionCookie(client) + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
    }

    static String clearCsrf(String client) {
        return csrfCookie(client) + "=; Path=/; Max-Age=0; Secure; SameSite=Strict";
    }
}
