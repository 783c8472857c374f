package dev.vestibule.router.middleware;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.vestibule.router.middleware.Admission.Admitted;
import dev.vestibule.router.middleware.Admission.Refused;
import dev.vestibule.router.middleware.AuthenticationSettings.ApiKey;
import dev.vestibule.router.middleware.AuthenticationSettings.Issuer;
import dev.vestibule.router.middleware.AuthenticationSettings.Mode;
import dev.vestibule.router.operation.BoundedCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Verifies who a request is, locally: JWT bearer tokens against their issuer's keys (nimbus-jose-jwt; signature,
 * algorithm allow-list, {@code exp}, {@code nbf}, {@code iat}, {@code iss}, {@code aud}, required claims, clock skew),
 * or an API key against stored hashes. A refusal is 401 with a {@code WWW-Authenticate} header (RFC 6750) and never
 * reaches a subgraph. The identity's configured claims become subgraph headers.
 */
public final class Authenticator implements AutoCloseable {
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);
    static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    private final AuthenticationSettings settings;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new LinkedHashMap<>();
    /** Stops the background refresh of each key source. */
    private final List<Runnable> closeables = new ArrayList<>();
    /**
     * Bumped whenever an issuer's key set changes (a key rotated in or removed): a token verified under an older
     * generation is verified again, so a removed key stops working at once rather than when its cache entry expires.
     */
    private final AtomicLong keyGeneration = new AtomicLong();
    /**
     * Tokens verified in the last minute (never past their exp): a client sends the same token with every request, and
     * an ES256 verification costs about a millisecond. Bounded; an entry from before the last key-set change is not
     * used (keyGeneration).
     */
    private final BoundedCache<String, Verified> verified = new BoundedCache<>(10_000);
    private static final long VERIFIED_TTL_MILLIS = 60_000;

    private record Verified(Admitted admission, long expiresAtMillis, long keyGeneration) {}

    public Authenticator(AuthenticationSettings settings) {
        this.settings = settings;
        for (Issuer issuer : settings.issuers()) processors.put(issuer.issuer(), processor(issuer));
    }

    public AuthenticationSettings settings() {
        return settings;
    }

    /** Decides about one request to the GraphQL route, given a way to read its headers (case-insensitive). */
    public Admission admit(Function<String, String> header) {
        return admit("/graphql", header);
    }

    /** Decides about one request to {@code route}, with that route's mode. */
    public Admission admit(String route, Function<String, String> header) {
        Mode mode = settings.modeFor(route);
        if (mode == Mode.OFF) return new Admitted(null, Map.of());
        String authorization = header.apply(settings.jwtHeader());
        String apiKey = settings.apiKeys().isEmpty() ? null : header.apply(settings.apiKeyHeader());
        if (authorization != null && !authorization.isBlank() && !processors.isEmpty()) return bearer(authorization);
        if (apiKey != null && !apiKey.isBlank()) return apiKey(apiKey);
        if (mode == Mode.OPTIONAL) return new Admitted(null, Map.of());
        return refuse("", "authentication is required: send " + (processors.isEmpty() ? "" : "Authorization: Bearer <token>")
                + (processors.isEmpty() || settings.apiKeys().isEmpty() ? "" : " or ")
                + (settings.apiKeys().isEmpty() ? "" : settings.apiKeyHeader() + ": <key>"));
    }

    private Admission bearer(String authorization) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse("invalid_request", "the " + settings.jwtHeader() + " header must be 'Bearer <token>'");
        }
        String token = authorization.substring(7).trim();
        if (token.length() > settings.maxTokenBytes()) {
            return refuse("invalid_token", "the token is larger than " + settings.maxTokenBytes() + " bytes");
        }
        // read before the keys are: a change while this token is verified leaves its cache entry already stale
        long generation = keyGeneration.get();
        Verified known = verified.get(token);
        if (known != null && known.keyGeneration() == generation && known.expiresAtMillis() > System.currentTimeMillis()) {
            return known.admission();
        }
        JWT jwt;
        String issuer;
        try {
            jwt = JWTParser.parse(token);
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return refuse("invalid_token", "the token is not a well-formed JWT");
        }
        if (jwt instanceof PlainJWT) return refuse("invalid_token", "unsecured tokens (alg: none) are not accepted");
        DefaultJWTProcessor<SecurityContext> processor = issuer == null ? null : processors.get(issuer);
        if (processor == null) return refuse("invalid_token", "the token's issuer is not trusted");
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            return refuse("invalid_token", describe(e));
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt != null && issuedAt.getTime() > System.currentTimeMillis() + settings.clockSkew().toMillis()) {
            return refuse("invalid_token", "the token is issued in the future (iat)");
        }
        List<String> scopes = new ArrayList<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String text) scopes.addAll(scopeNames(text));
        Object scp = claims.getClaim("scp");
        if (scp instanceof List<?> list) list.forEach(s -> scopes.add(String.valueOf(s)));
        if (!scopes.containsAll(settings.requiredScopes())) {
            List<String> missing = settings.requiredScopes().stream().filter(s -> !scopes.contains(s)).toList();
            return new Refused(403, Map.of("WWW-Authenticate", "Bearer realm=\"vestibule\", error=\"insufficient_scope\", scope=\""
                    + String.join(" ", settings.requiredScopes()) + "\""), "the token lacks the scope(s) " + missing, "FORBIDDEN");
        }
        Identity identity = new Identity(claims.getSubject(), claims.getSubject(), null, scopes, claims.getClaims(), "jwt");
        Map<String, String> headers = new LinkedHashMap<>();
        String unsendable = subgraphHeaders(identity, headers);
        if (unsendable != null) {
            // the value itself is never echoed: it is the token holder's, and may be what an attacker crafted
            return refuse("invalid_token", "the token's claim '" + unsendable + "' cannot be sent as a header (it holds a control character)");
        }
        Admitted admitted = new Admitted(identity, Map.copyOf(headers));
        long now = System.currentTimeMillis();
        verified.put(token, new Verified(admitted, Math.min(now + VERIFIED_TTL_MILLIS, claims.getExpirationTime().getTime()), generation));
        return admitted;
    }

    private Admission apiKey(String key) {
        byte[] hash = sha256(key);
        for (ApiKey candidate : settings.apiKeys()) {
            if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(candidate.sha256()))) {
                Map<String, Object> claims = new LinkedHashMap<>();
                claims.put("sub", candidate.consumer());
                claims.put("consumer", candidate.consumer());
                if (candidate.plan() != null) claims.put("plan", candidate.plan());
                Identity identity = new Identity(candidate.consumer(), candidate.consumer(), candidate.plan(), List.of(), claims, "api_key");
                Map<String, String> headers = new LinkedHashMap<>();
                // the config refuses control characters in consumer and plan: nothing here can be unsendable
                subgraphHeaders(identity, headers);
                return new Admitted(identity, Map.copyOf(headers));
            }
        }
        return new Refused(401, Map.of("WWW-Authenticate", "ApiKey realm=\"vestibule\", header=\"" + settings.apiKeyHeader() + "\""),
                "the API key is not valid", "UNAUTHENTICATED");
    }

    /**
     * Puts the identity's configured claims into {@code headers}, each as {@link #headerValue}; answers the name of the
     * first claim that cannot be a header value (null: all of them can). Nothing a client sent under those names
     * survives (HeaderRules reserves them).
     */
    private String subgraphHeaders(Identity identity, Map<String, String> headers) {
        for (Map.Entry<String, String> forward : settings.forwardClaims().entrySet()) {
            String claim = forward.getKey();
            Object value = identity.claims().get(claim);
            if (value == null && claim.equals("scope")) value = identity.scopes().isEmpty() ? null : identity.scopes();
            if (value instanceof List<?> list) value = list.stream().map(String::valueOf).collect(Collectors.joining(" "));
            if (value == null) continue;
            String header = headerValue(String.valueOf(value));
            if (header == null) return claim;
            headers.put(forward.getValue(), header);
        }
        return null;
    }

    /**
     * A claim as a header value: null when it holds a control character (CR, LF, NUL, tab, DEL...: no meaning in an
     * identity, and the way to split or smuggle headers); printable ASCII as it is, except that '%' and every
     * non-ASCII character are percent-encoded as UTF-8 (RFC 3986), so that percent-decoding gives back the exact claim
     * for every value, and no two claims share a header value.
     */
    static String headerValue(String value) {
        boolean plain = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) return null;
            if (c == '%' || c > 0x7e) plain = false;
        }
        if (plain) return value;
        StringBuilder encoded = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int unsigned = b & 0xff;
            if (unsigned == '%' || unsigned > 0x7e) {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(unsigned >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(unsigned & 0xf, 16)));
            } else {
                encoded.append((char) unsigned);
            }
        }
        return encoded.toString();
    }

    private Refused refuse(String error, String description) {
        String challenge = "Bearer realm=\"vestibule\"" + (error.isEmpty() ? ""
                : ", error=\"" + error + "\", error_description=\"" + description.replace("\"", "'") + "\"");
        return new Refused(401, Map.of("WWW-Authenticate", challenge), description, "UNAUTHENTICATED");
    }

    /** The names in an OAuth {@code scope} claim (space-separated, RFC 8693 / RFC 6749 section 3.3), split without a regex. */
    static List<String> scopeNames(String scope) {
        List<String> names = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= scope.length(); i++) {
            boolean space = i == scope.length() || Character.isWhitespace(scope.charAt(i));
            if (space && start >= 0) {
                names.add(scope.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return names;
    }

    private static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Expired JWT")) return "the token has expired (exp)";
        if (message.contains("before use time")) return "the token is not valid yet (nbf)";
        if (message.contains("audience") || message.contains("aud claim")) return "the token's audience (aud) is not accepted";
        if (message.contains("Invalid signature")) return "the token's signature is not valid";
        if (message.contains("no matching key") || message.contains("Another algorithm expected")) {
            return "no trusted key matches the token's key id and algorithm";
        }
        int claims = message.lastIndexOf("claims: ");
        if (message.contains("missing required claims") && claims >= 0) {
            return "the token lacks required claims: " + message.substring(claims + "claims: ".length());
        }
        return "the token is not valid: " + message;
    }

    private DefaultJWTProcessor<SecurityContext> processor(Issuer issuer) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        Set<JWSAlgorithm> allowed = issuer.algorithms().isEmpty()
                ? (issuer.secret() != null ? HMAC : ASYMMETRIC)
                : issuer.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        JWKSource<SecurityContext> keys;
        if (issuer.secret() != null) {
            keys = new ImmutableSecret<>(issuer.secret().getBytes(StandardCharsets.UTF_8));
        } else if (issuer.jwksFile() != null) {
            FileJwks file = new FileJwks(issuer.issuer(), Path.of(issuer.jwksFile()), issuer.jwksRefresh(), keyGeneration::incrementAndGet);
            closeables.add(file::close);
            keys = file;
        } else {
            RemoteJwks remote = new RemoteJwks(issuer.issuer(), issuer.jwksUrl(), issuer.jwksRefresh(), issuer.unknownKidRefetch(),
                    keyGeneration::incrementAndGet);
            closeables.add(remote::close);
            keys = remote;
        }
        processor.setJWSKeySelector(EdDsaSupport.keySelector(new JWSVerificationKeySelector<>(allowed, keys), keys, allowed));
        processor.setJWSVerifierFactory(new EdDsaSupport.VerifierFactory());
        JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(issuer.issuer()).build();
        Set<String> required = new HashSet<>(issuer.requiredClaims());
        required.add("exp");
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                issuer.audiences().isEmpty() ? null : new HashSet<>(issuer.audiences()), exact, required, null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    /** Stops the background refresh of key sets (remote and file). */
    @Override
    public void close() {
        closeables.forEach(Runnable::run);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
