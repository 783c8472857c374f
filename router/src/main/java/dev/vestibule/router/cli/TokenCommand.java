package dev.vestibule.router.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vestibule.router.cli.RouterCli.UsageException;
import dev.vestibule.router.config.ConfigNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code token}: mints a demo JWT signed by a local RSA key (created on first use), and writes the matching public
 * JWKS for the router's {@code jwks_file}. For trying authentication locally, not for production: a real deployment
 * trusts its identity provider's JWKS URL.
 */
final class TokenCommand {
    static final String SUMMARY = "token [--sub u1] [--scope 'read:me'] [--ttl 1h] [--issuer URL] [--audience vestibule]"
            + " [--key FILE] [--jwks-out FILE]: mint a demo JWT (RS256) and write the JWKS that verifies it";

    private TokenCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--sub", "u1", "--scope", "read:me", "--ttl", "1h",
                "--issuer", "https://demo.vestibule.dev", "--audience", "vestibule", "--key", ".vestibule/demo-key.json",
                "--jwks-out", ".vestibule/demo-jwks.json"));
        for (int i = 0; i < args.size(); i += 2) {
            if (!options.containsKey(args.get(i))) throw new UsageException("unknown option " + args.get(i) + " (options: " + String.join(", ", options.keySet()) + ")");
            if (i + 1 >= args.size()) throw new UsageException(args.get(i) + " needs a value");
            options.put(args.get(i), args.get(i + 1));
        }
        Duration ttl = ttl(options.get("--ttl"));
        RSAKey key = key(Path.of(options.get("--key")));
        Path jwks = Path.of(options.get("--jwks-out"));
        if (jwks.getParent() != null) Files.createDirectories(jwks.getParent());
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(options.get("--issuer")).subject(options.get("--sub"))
                .audience(options.get("--audience")).claim("scope", options.get("--scope")).jwtID(UUID.randomUUID().toString())
                .issueTime(new Date(now)).expirationTime(new Date(now + ttl.toMillis())).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
        }
        out.println(jwt.serialize());
        err.println("token for sub=" + options.get("--sub") + ", valid " + options.get("--ttl") + "; verify it with jwks_file: "
                + jwks.toAbsolutePath() + " (issuer " + options.get("--issuer") + ", audience " + options.get("--audience") + ")");
        return 0;
    }

    private static RSAKey key(Path file) throws IOException {
        try {
            if (Files.exists(file)) return RSAKey.parse(Files.readString(file));
            RSAKey key = new RSAKeyGenerator(2048).keyID("demo-" + UUID.randomUUID().toString().substring(0, 8)).generate();
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, key.toJSONString());
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the file keeps its default permissions
            }
            return key;
        } catch (ParseException | JOSEException e) {
            throw new UsageException("--key " + file + ": not an RSA private JWK (" + e.getMessage() + "); delete it to create a new one");
        }
    }

    private static Duration ttl(String text) {
        Duration ttl = ConfigNode.parseDuration(text);
        if (ttl == null || ttl.isZero()) throw new UsageException("--ttl " + text + ": expected e.g. 30m, 1h or 7d");
        return ttl;
    }
}
