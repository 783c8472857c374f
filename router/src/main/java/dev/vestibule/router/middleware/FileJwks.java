package dev.vestibule.router.middleware;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's keys from a local JWKS file ({@code jwks_file}), read at start and checked again every {@code interval}:
 * when the file's content changed, its keys replace the old ones, so a key removed from the file (revoked) stops
 * verifying tokens within the interval, and {@code onChange} runs (the authenticator forgets the tokens it verified).
 * The content is compared, not the modification time, whose resolution can hide a quick rewrite; a JWKS is a few KB.
 * A file that is missing or broken on a check keeps the last good keys in service and is logged once, as an error.
 */
final class FileJwks implements JWKSource<SecurityContext>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileJwks.class);

    private final String issuer;
    private final Path file;
    private final Runnable onChange;
    private volatile JWKSet keys;
    /** What the last check read (good or broken): only a different content is parsed and reported again. */
    private byte[] lastContent;
    private boolean unreadable;
    private final ScheduledFuture<?> watching;

    /** @throws IllegalStateException when the file cannot be read or is not a JWKS (the router does not start) */
    FileJwks(String issuer, Path file, Duration interval, Runnable onChange) {
        this.issuer = issuer;
        this.file = file;
        this.onChange = onChange;
        try {
            lastContent = Files.readAllBytes(file);
            keys = JWKSet.parse(new String(lastContent, StandardCharsets.UTF_8));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("issuer " + issuer + ": cannot read the JWKS file " + file + ": " + e.getMessage(), e);
        }
        watching = RemoteJwks.REFRESH.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(keys);
    }

    /** One check of the file; never throws (the schedule would stop). */
    synchronized void check() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            if (!unreadable) {
                LOG.error("issuer {}: cannot read the JWKS file {} ({}); keeping the {} key(s) last read", issuer, file, e.toString(),
                        keys.getKeys().size());
            }
            unreadable = true;
            return;
        }
        unreadable = false;
        if (Arrays.equals(content, lastContent)) return;
        lastContent = content;
        try {
            JWKSet next = JWKSet.parse(new String(content, StandardCharsets.UTF_8));
            keys = next;
            onChange.run(); // after the swap: a token verified with the old keys from here on is not trusted from the cache
            LOG.info("issuer {}: the JWKS file {} changed; {} key(s) now trusted", issuer, file, next.getKeys().size());
        } catch (ParseException | RuntimeException e) {
            LOG.error("issuer {}: the JWKS file {} is not a valid key set ({}); keeping the {} key(s) last read", issuer, file,
                    e.getMessage(), keys.getKeys().size());
        }
    }

    @Override
    public void close() {
        watching.cancel(false);
    }
}
