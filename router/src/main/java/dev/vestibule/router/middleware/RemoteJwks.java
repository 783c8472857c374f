package dev.vestibule.router.middleware;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's keys from its JWKS URL: fetched at start, refreshed in the background every {@code refresh}, and
 * fetched again when a token names a key the set lacks (a rotation), but at most once per {@code unknownKidRefetch},
 * so a flood of forged key ids cannot turn the router against the identity provider. While the URL is down the last
 * good set stays in use. When a fetch brings a different set, {@code onChange} runs (the authenticator forgets the
 * tokens it verified with the old one: a key the issuer removed stops working at the next refresh).
 */
final class RemoteJwks implements JWKSource<SecurityContext>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);
    /** Refreshes every issuer's keys, remote (this class) and file-based (FileJwks). */
    static final ScheduledExecutorService REFRESH = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("jwks-refresh").factory());

    private final URL url;
    private final String issuer;
    private final long unknownKidRefetchNanos;
    private final DefaultResourceRetriever retriever = new DefaultResourceRetriever(2_000, 2_000, 512 * 1024);
    private final Runnable onChange;
    private volatile JWKSet keys = new JWKSet();
    private volatile long lastFetchNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private final ScheduledFuture<?> refreshing;

    RemoteJwks(String issuer, String url, Duration refresh, Duration unknownKidRefetch, Runnable onChange) {
        try {
            this.url = URI.create(url).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("issuer " + issuer + ": jwks_url is not a URL: " + url, e);
        }
        this.issuer = issuer;
        this.onChange = onChange;
        this.unknownKidRefetchNanos = unknownKidRefetch.toNanos();
        fetch();
        refreshing = REFRESH.scheduleWithFixedDelay(this::fetch, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        List<JWK> matches = selector.select(keys);
        if (!matches.isEmpty()) return matches;
        synchronized (this) {
            if (System.nanoTime() - lastFetchNanos < unknownKidRefetchNanos) return selector.select(keys);
            fetch();
        }
        return selector.select(keys);
    }

    /** One fetch; a failure keeps the previous keys. */
    private synchronized void fetch() {
        lastFetchNanos = System.nanoTime();
        try {
            JWKSet next = JWKSet.parse(retriever.retrieveResource(url).getContent());
            boolean changed = !next.getKeys().equals(keys.getKeys());
            keys = next;
            if (changed) onChange.run();
        } catch (Exception e) {
            LOG.warn("issuer {}: cannot fetch the JWKS from {} ({}); keeping {} known key(s)", issuer, url, e.getMessage(),
                    keys.getKeys().size());
        }
    }

    @Override
    public void close() {
        refreshing.cancel(false);
    }
}
