package dev.vestibule.router.middleware;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
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
import java.io.File;
import java.nio.charset.StandardCharsets;
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
    private final List<RemoteJwks> closeables = new ArrayList<>();
    /**
     * Tokens verified in the last minute (never past their exp): a client sends the same token with every request, and
     * an ES256 verification costs about a millisecond. Bounded; a removed signing key is honoured within a minute.
     */
    private final dev.vestibule.router.operation.BoundedCache<String, Verified> verified = new dev.vestibule.router.operation.BoundedCache<>(10_000);
    private static final long VERIFIED_TTL_MILLIS = 60_000;

    private record Verified(Admitted admission, long expiresAtMillis) {}

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
        Verified known = verified.get(token);
        if (known != null && known.expiresAtMillis() > System.currentTimeMillis()) return known.admission();
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
        Admitted admitted = new Admitted(identity, subgraphHeaders(identity));
        long now = System.currentTimeMillis();
        verified.put(token, new Verified(admitted, Math.min(now + VERIFIED_TTL_MILLIS, claims.getExpirationTime().getTime())));
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
                return new Admitted(identity, subgraphHeaders(identity));
            }
        }
        return new Refused(401, Map.of("WWW-Authenticate", "ApiKey realm=\"vestibule\", header=\"" + settings.apiKeyHeader() + "\""),
                "the API key is not valid", "UNAUTHENTICATED");
    }

    /** The identity's configured claims as headers; nothing a client sent under those names survives. */
    private Map<String, String> subgraphHeaders(Identity identity) {
        Map<String, String> headers = new LinkedHashMap<>();
        settings.forwardClaims().forEach((claim, header) -> {
            Object value = identity.claims().get(claim);
            if (value == null && claim.equals("scope")) value = identity.scopes().isEmpty() ? null : identity.scopes();
            if (value instanceof List<?> list) value = list.stream().map(String::valueOf).collect(Collectors.joining(" "));
            if (value != null) headers.put(header, String.valueOf(value));
        });
        return headers;
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
            try {
                keys = new ImmutableJWKSet<>(JWKSet.load(new File(issuer.jwksFile())));
            } catch (java.io.IOException | ParseException e) {
                throw new IllegalStateException("issuer " + issuer.issuer() + ": cannot read the JWKS file " + issuer.jwksFile() + ": " + e.getMessage(), e);
            }
        } else {
            RemoteJwks remote = new RemoteJwks(issuer.issuer(), issuer.jwksUrl(), issuer.jwksRefresh(), issuer.unknownKidRefetch());
            closeables.add(remote);
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

    /** Stops the background refresh of remote key sets. */
    @Override
    public void close() {
        closeables.forEach(RemoteJwks::close);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
