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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Persisted operations. Automatic persisted queries (the {@code persistedQuery} extension with a sha256 hash, as
 * Apollo Client sends it): a hash alone runs the operation registered under it, or answers
 * {@code PERSISTED_QUERY_NOT_FOUND} so the client sends hash and text once; the text is checked against the hash
 * and kept in a bounded LRU, or in Redis so every instance knows it. Safelist mode: only the operations of a manifest
 * (Apollo's persisted-query manifest format) run, by id or by exact text; registration is then off.
 */
public final class PersistedQueries implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PersistedQueries.class);

    /** {@code manifest}: a safelist file, or null; {@code redisUrl}: shared APQ storage, or null for memory. */
    public record Settings(boolean apq, int cacheSize, String redisUrl, Duration ttl, Path manifest) {
        public static final Settings DEFAULTS = new Settings(true, 10_000, null, Duration.ofHours(24), null);
    }

    private final Settings settings;
    private final BoundedCache<String, String> local;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> connection;
    private final Map<String, String> safelistById = new HashMap<>();
    private final Set<String> safelistBodies = new HashSet<>();

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
        if (settings.manifest() != null) readManifest(settings.manifest());
    }

    public static PersistedQueries defaults() {
        return new PersistedQueries(Settings.DEFAULTS);
    }

    /** The request with its operation text, or a RequestError for the client. */
    public GraphQLRequest resolve(GraphQLRequest request) {
        Object extension = request.extensions().get("persistedQuery");
        if (settings.manifest() != null) return safelisted(request, extension);
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
        String key = hash.toLowerCase(java.util.Locale.ROOT);
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

    private GraphQLRequest safelisted(GraphQLRequest request, Object extension) {
        if (request.query() == null && extension instanceof Map<?, ?> persisted && persisted.get("sha256Hash") instanceof String id) {
            String body = safelistById.get(id);
            if (body == null) throw RequestError.of(400, "no operation with id " + id + " is in the safelist", "PERSISTED_QUERY_NOT_IN_LIST");
            return new GraphQLRequest(body, request.operationName(), request.variables(), request.extensions());
        }
        if (request.query() != null && safelistBodies.contains(request.query())) return request;
        throw RequestError.of(400, "this operation is not in the safelist; only the operations of the manifest may run",
                "PERSISTED_QUERY_NOT_IN_LIST");
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

    private void readManifest(Path file) {
        try {
            JsonNode manifest = new ObjectMapper().readTree(file.toFile());
            JsonNode operations = manifest.path("operations");
            if (!operations.isArray()) throw new IllegalStateException(file + ": expected an Apollo persisted-query manifest with an \"operations\" list");
            for (JsonNode operation : operations) {
                String body = operation.path("body").asText(null);
                if (body == null) throw new IllegalStateException(file + ": an operation without \"body\"");
                safelistBodies.add(body);
                safelistById.put(operation.path("id").asText(sha256(body)), body);
                safelistById.put(sha256(body), body);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the safelist manifest " + file + ": " + e.getMessage(), e);
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
