package dev.vestibule.router.middleware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.operation.BoundedCache;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persisted operations. Automatic persisted queries (the {@code persistedQuery} extension with a sha256 hash, as
 * Apollo Client sends it): a hash alone runs the operation registered under it, or answers
 * {@code PERSISTED_QUERY_NOT_FOUND} so the client sends hash and text once; the text is checked against the hash
 * and kept in a bounded LRU, or in Redis so every instance knows it. Safelist mode: only the operations of a manifest
 * (Apollo's persisted-query manifest format) run, by id or by exact text; registration is then off.
 *
 * <p>Safelists per client: a request that names a listed client in the client-name header
 * ({@code apollographql-client-name}, as Apollo's clients send it) may run only that client's operations (its BFF
 * module's manifest), whatever else is allowed; requests naming no listed client are served as above, or refused
 * when {@code rejectUnlisted}.
 */
public final class PersistedQueries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistedQueries.class);

    /** The header that names the client, by default (Apollo's). */
    public static final String CLIENT_HEADER = "apollographql-client-name";

    /**
     * {@code manifest}: a safelist file, or null; {@code redisUrl}: shared APQ storage, or null for memory;
     * {@code clients}: each listed client's manifest (a file or a BFF jar's resource); {@code clientHeader}: the header
     * naming the client; {@code rejectUnlisted}: refuse requests that name no listed client.
     */
    public record Settings(boolean apq, int cacheSize, String redisUrl, Duration ttl, Path manifest, Map<String, URL> clients,
                           String clientHeader, boolean rejectUnlisted) {
        public static final Settings DEFAULTS = new Settings(true, 10_000, null, Duration.ofHours(24), null);

        public Settings(boolean apq, int cacheSize, String redisUrl, Duration ttl, Path manifest) {
            this(apq, cacheSize, redisUrl, ttl, manifest, Map.of(), CLIENT_HEADER, false);
        }
    }

    /** The operations one manifest allows, by id (and by the sha256 of each body) and by exact text. */
    private record Safelist(Map<String, String> byId, Set<String> bodies) {}

    private final Settings settings;
    private final BoundedCache<String, String> local;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> connection;
    private final Map<String, String> safelistById = new HashMap<>();
    private final Set<String> safelistBodies = new HashSet<>();
    private final Map<String, Safelist> clients = new HashMap<>();

    public PersistedQueries(Settings settings) {
        this.settings = settings;
        this.local = new BoundedCache<>(settings.cacheSize());
        if (settings.redisUrl() != null && settings.apq() && settings.manifest() == null) {
            RedisURI uri = RedisURI.create(settings.redisUrl());
            uri.setTimeout(Duration.ofMillis(200));
            redis = RedisClient.create(uri);
            StatefulRedisConnection<String, String> opened = null;
            try {
                opened = redis.connect();
            } catch (RuntimeException e) {
                LOG.warn("persisted queries: Redis {} unreachable at start ({}); using this instance's memory until it answers", settings.redisUrl(), e.getMessage());
            }
            connection = opened;
        } else {
            redis = null;
            connection = null;
        }
        if (settings.manifest() != null) {
            Safelist safelist = readManifest(toUrl(settings.manifest()), settings.manifest().toString());
            safelistById.putAll(safelist.byId());
            safelistBodies.addAll(safelist.bodies());
        }
        settings.clients().forEach((client, manifest) -> clients.put(client, readManifest(manifest, "client " + client + ": " + manifest)));
    }

    /** The header that names the client, when there are client safelists; null otherwise (nothing to read). */
    public String clientHeader() {
        return clients.isEmpty() ? null : settings.clientHeader();
    }

    public static PersistedQueries defaults() {
        return new PersistedQueries(Settings.DEFAULTS);
    }

    /** The request with its operation text, or a RequestError for the client. */
    public GraphQLRequest resolve(GraphQLRequest request) {
        return resolve(request, null);
    }

    /** As {@link #resolve(GraphQLRequest)}, for a request whose client-name header says {@code client} (or null). */
    public GraphQLRequest resolve(GraphQLRequest request, String client) {
        Object extension = request.extensions().get("persistedQuery");
        if (!clients.isEmpty()) {
            Safelist own = client == null ? null : clients.get(client);
            if (own != null) {
                return safelisted(request, extension, own, "this operation is not in this client's safelist (the operations of its manifest)");
            }
            if (settings.rejectUnlisted()) {
                throw RequestError.of(400, "this router runs only the operations of its known clients; name yours in the "
                        + settings.clientHeader() + " header", "PERSISTED_QUERY_NOT_IN_LIST");
            }
        }
        if (settings.manifest() != null) {
            return safelisted(request, extension, new Safelist(safelistById, safelistBodies),
                    "this operation is not in the safelist; only the operations of the manifest may run");
        }
        if (!(extension instanceof Map<?, ?> persisted) || !settings.apq()) {
            if (request.query() == null) throw RequestError.of(400, "the request needs a \"query\" string", "BAD_REQUEST");
            return request;
        }
        Object version = persisted.get("version");
        if (!(version instanceof Number n) || n.intValue() != 1) {
            throw RequestError.of(400, "unsupported persisted query version (only 1)", "PERSISTED_QUERY_VERSION_NOT_SUPPORTED");
        }
        if (!(persisted.get("sha256Hash") instanceof String hash) || !isSha256Hex(hash)) {
            throw RequestError.of(400, "persistedQuery.sha256Hash must be 64 hex digits", "BAD_REQUEST");
        }
        String key = hash.toLowerCase(Locale.ROOT);
        if (request.query() == null) {
            String known = lookup(key);
            if (known == null) throw RequestError.of(200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND");
            return new GraphQLRequest(known, request.operationName(), request.variables(), request.extensions());
        }
        if (!sha256(request.query()).equals(key)) {
            throw RequestError.of(400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH");
        }
        store(key, request.query());
        return request;
    }

    private static GraphQLRequest safelisted(GraphQLRequest request, Object extension, Safelist safelist, String refusal) {
        if (request.query() == null && extension instanceof Map<?, ?> persisted && persisted.get("sha256Hash") instanceof String id) {
            String body = safelist.byId().get(id);
            if (body == null) {
                // the id is the client's own text, but only 64 hex digits of it are worth echoing
                String shown = isSha256Hex(id) ? " " + id : "";
                throw RequestError.of(400, "no operation with id" + shown + " is in the safelist", "PERSISTED_QUERY_NOT_IN_LIST");
            }
            return new GraphQLRequest(body, request.operationName(), request.variables(), request.extensions());
        }
        if (request.query() != null && safelist.bodies().contains(request.query())) return request;
        throw RequestError.of(400, refusal, "PERSISTED_QUERY_NOT_IN_LIST");
    }

    private String lookup(String hash) {
        String known = local.get(hash);
        if (known != null || connection == null) return known;
        try {
            known = connection.sync().get("vestibule:apq:" + hash);
            if (known != null) local.put(hash, known);
            return known;
        } catch (RuntimeException e) {
            LOG.warn("persisted queries: Redis lookup failed ({}); treating as not found", e.getMessage());
            return null;
        }
    }

    private void store(String hash, String query) {
        local.put(hash, query);
        if (connection == null) return;
        try {
            connection.sync().set("vestibule:apq:" + hash, query, SetArgs.Builder.ex(settings.ttl().toSeconds()));
        } catch (RuntimeException e) {
            LOG.warn("persisted queries: Redis store failed ({}); kept in this instance only", e.getMessage());
        }
    }

    private static Safelist readManifest(URL file, String origin) {
        Map<String, String> safelistById = new HashMap<>();
        Set<String> safelistBodies = new HashSet<>();
        try {
            JsonNode manifest = new ObjectMapper().readTree(file);
            JsonNode operations = manifest.path("operations");
            if (!operations.isArray()) throw new IllegalStateException(origin + ": expected an Apollo persisted-query manifest with an \"operations\" list");
            for (JsonNode operation : operations) {
                String body = operation.path("body").asText(null);
                if (body == null) throw new IllegalStateException(origin + ": an operation without \"body\"");
                safelistBodies.add(body);
                safelistById.put(operation.path("id").asText(sha256(body)), body);
                safelistById.put(sha256(body), body);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the safelist manifest " + origin + ": " + e.getMessage(), e);
        }
        return new Safelist(Map.copyOf(safelistById), Set.copyOf(safelistBodies));
    }

    private static URL toUrl(Path file) {
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("the safelist manifest " + file + " has no URL: " + e.getMessage(), e);
        }
    }

    /** 64 hex digits, checked without a regular expression: this runs on every persisted-query request. */
    static boolean isSha256Hex(String text) {
        if (text.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) return false;
        }
        return true;
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(Authenticator.sha256(text));
    }

    @Override
    public void close() {
        if (connection != null) connection.close();
        if (redis != null) redis.shutdown();
    }
}
