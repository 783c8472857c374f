package dev.vestibule.router.bff;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path template ({@code /mobile/v1/products/{upc}}): literal segments and whole-segment parameters. Matched
 * segment by segment, no regular expression on the request path.
 */
record PathTemplate(String text, List<String> segments, List<String> parameters) {

    static PathTemplate parse(String text) {
        if (!text.startsWith("/") || text.length() > 1 && text.endsWith("/")) {
            throw new IllegalArgumentException("a route path starts with / and does not end with one: " + text);
        }
        List<String> segments = List.of(text.substring(1).split("/", -1));
        List<String> parameters = new ArrayList<>();
        for (String segment : segments) {
            if (segment.isEmpty()) throw new IllegalArgumentException("a route path has an empty segment: " + text);
            if (segment.startsWith("{")) {
                if (!segment.endsWith("}") || segment.length() < 3) throw new IllegalArgumentException("a parameter is written {name}: " + text);
                String name = segment.substring(1, segment.length() - 1);
                if (parameters.contains(name)) throw new IllegalArgumentException("the parameter {" + name + "} appears twice: " + text);
                parameters.add(name);
            } else if (segment.contains("{") || segment.contains("}")) {
                throw new IllegalArgumentException("a parameter takes a whole segment: " + text);
            }
        }
        return new PathTemplate(text, segments, List.copyOf(parameters));
    }

    /** The parameters' values when {@code path} matches (percent-decoded); null when it does not. */
    Map<String, String> match(String path) {
        Map<String, String> values = null;
        int at = 1; // after the leading '/'
        int n = segments.size();
        for (int i = 0; i < n; i++) {
            if (at > path.length()) return null;
            int end = path.indexOf('/', at);
            if (end < 0) end = path.length();
            if (i == n - 1 && end != path.length()) return null; // more segments than the template
            if (i < n - 1 && end == path.length()) return null; // fewer
            String segment = segments.get(i);
            if (segment.charAt(0) == '{') {
                if (end == at) return null; // an empty parameter
                if (values == null) values = new LinkedHashMap<>();
                values.put(segment.substring(1, segment.length() - 1), URLDecoder.decode(path.substring(at, end), StandardCharsets.UTF_8));
            } else if (end - at != segment.length() || !path.regionMatches(at, segment, 0, segment.length())) {
                return null;
            }
            at = end + 1;
        }
        return values == null ? Map.of() : values;
    }
}
