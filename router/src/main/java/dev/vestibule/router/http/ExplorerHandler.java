package dev.vestibule.router.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explorer page (docs/explorer.md): GraphiQL with the query plan panel, on {@code GET /} and on
 * {@code GET /graphql} when a browser asks for HTML, its script and style sheet under {@code /explorer/}. Served in
 * development mode or when the config enables it ({@link ServerSettings#explorerEnabled}); every other request goes on
 * to GraphQL, so a GET on /graphql that is not a browser's page load still meets the CSRF check.
 *
 * <p>The files are the ones the build bundled into the jar ({@code explorer/} on the class path, from
 * router/src/main/explorer), read once when the server starts and kept in memory with their gzip copies. The page
 * loads nothing from elsewhere, so its Content-Security-Policy allows only the router's own origin: no inline script,
 * no remote origin, no framing.
 */
final class ExplorerHandler extends Handler.Wrapper {
    static final String ASSETS = "/explorer/";
    /**
     * Scripts, styles and calls from this origin only; fonts and icons the style sheet holds as data: URLs. Inline
     * style attributes are refused too: the page sets its computed sizes through the DOM, which CSP allows.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Logger LOG = LoggerFactory.getLogger(ExplorerHandler.class);

    /** A file of the page: its bytes, its gzip copy (null when the build made none), its type and entity tag. */
    private record Asset(byte[] bytes, byte[] gzipped, String contentType, String etag) {}

    /** By request path; empty when the jar was built without the page (-Dexplorer.skip=true). */
    private final Map<String, Asset> assets;

    ExplorerHandler(Handler next) {
        super(next);
        this.assets = load();
        if (assets.isEmpty()) {
            LOG.warn("the explorer page is not in this build (built with -Dexplorer.skip=true?); / answers 404");
        }
    }

    private static Map<String, Asset> load() {
        Map<String, Asset> out = new LinkedHashMap<>();
        Asset page = asset("index.html", "text/html; charset=utf-8");
        if (page == null) return Map.of();
        out.put("/", page);
        out.put(ASSETS + "explorer.js", asset("explorer.js", "text/javascript; charset=utf-8"));
        out.put(ASSETS + "explorer.css", asset("explorer.css", "text/css; charset=utf-8"));
        if (out.containsValue(null)) throw new IllegalStateException("the explorer page in this build is incomplete: rebuild the router");
        return Map.copyOf(out);
    }

    private static Asset asset(String name, String contentType) {
        byte[] bytes = resource(name);
        if (bytes == null) return null;
        return new Asset(bytes, resource(name + ".gz"), contentType, etag(bytes));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ExplorerHandler.class.getResourceAsStream(ASSETS + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the explorer's " + name + " from the jar: " + e.getMessage(), e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        Asset asset;
        if (path.equals(GraphQLHttpHandler.PATH)) {
            // a browser opening /graphql gets the page; a GraphQL client's GET (JSON accepted first) goes on
            if (!read || !wantsHtml(request.getHeaders().get(HttpHeader.ACCEPT))) return super.handle(request, response, callback);
            asset = assets.get("/");
        } else if (path.equals("/") || path.startsWith(ASSETS)) {
            asset = assets.get(path);
        } else {
            return super.handle(request, response, callback);
        }
        if (asset == null) {
            if (!assets.isEmpty()) return super.handle(request, response, callback); // an unknown file: the usual 404
            answer(response, callback, 404, "the explorer page is not in this build of the router (it was built with"
                    + " -Dexplorer.skip=true); GraphQL is on " + GraphQLHttpHandler.PATH);
            return true;
        }
        if (!read) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            answer(response, callback, 405, "use GET on " + path);
            return true;
        }
        send(request, response, callback, asset, method.equals("HEAD"));
        return true;
    }

    /**
     * Whether an Accept header asks for HTML before JSON: a browser's page load does ({@code text/html,...,*}{@code /*}),
     * curl's {@code *}{@code /*} and GraphQL clients' JSON types do not.
     */
    static boolean wantsHtml(String accept) {
        if (accept == null) return false;
        int html = accept.indexOf("text/html");
        if (html < 0) return false;
        int json = accept.indexOf("application/json");
        int graphql = accept.indexOf(GraphQLHttpHandler.GRAPHQL_RESPONSE);
        return (json < 0 || html < json) && (graphql < 0 || html < graphql);
    }

    private static void send(Request request, Response response, Callback callback, Asset asset, boolean head) {
        var headers = response.getHeaders();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        // the files keep their names from build to build: revalidated each time, answered 304 while unchanged
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put(HttpHeader.ETAG, asset.etag());
        headers.put(HttpHeader.VARY, "Accept-Encoding");
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            response.setStatus(304);
            response.write(true, null, callback);
            return;
        }
        String encodings = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
        boolean gzip = asset.gzipped() != null && encodings != null && encodings.contains("gzip");
        byte[] body = gzip ? asset.gzipped() : asset.bytes();
        if (gzip) headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
        response.setStatus(200);
        headers.put(HttpHeader.CONTENT_TYPE, asset.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }

    private static void answer(Response response, Callback callback, int status, String message) {
        GraphQLHttpHandler.writeWhole(response, callback, status, "application/json",
                ByteBuffer.wrap(ErrorBodies.messageOnly(message)));
    }
}
