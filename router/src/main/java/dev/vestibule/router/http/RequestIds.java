package dev.vestibule.router.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Request;

/**
 * Each request's id, sent back in the {@code x-request-id} response header and named in the log and in an internal
 * error's answer, so that a client's report finds the log line. A sane id the client (or a proxy in front) sent is
 * kept, so one id follows the request through every hop; anything else gets a fresh random one.
 */
public final class RequestIds {
    public static final String HEADER = "x-request-id";
    private static final int MAX_LENGTH = 128;
    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {}

    public static String of(Request request) {
        return of(request.getHeaders().get(HEADER));
    }

    /** The id a request sent in {@link #HEADER} when it is sane, else a fresh one (servers other than Jetty's core). */
    public static String of(String incoming) {
        return sane(incoming) ? incoming : HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * 1 to 128 characters of letters, digits and {@code - _ . : / + = @}: enough for UUIDs, trace ids and the ids of
     * common proxies, and nothing that could split a log line or a header (a loop, no regex per request).
     */
    static boolean sane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=' || c == '@';
            if (!ok) return false;
        }
        return true;
    }
}
