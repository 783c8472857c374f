package dev.vestibule.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of the YAML configuration that knows its path ({@code authentication.jwt.issuers[0].jwks_url}), so every
 * error names the key; reads strictly (unknown keys are errors) and expands {@code ${VAR}} and
 * {@code ${VAR:-default}} from the environment in every string.
 */
public final class ConfigNode {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final JsonNode node;
    private final String path;
    private final Function<String, String> environment;

    ConfigNode(JsonNode node, String path, Function<String, String> environment) {
        this.node = node;
        this.path = path;
        this.environment = environment;
    }

    public String path() {
        return path;
    }

    public boolean isMissing() {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** Rejects keys other than {@code allowed}: a typo must not silently switch a protection off. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (isMissing()) return this;
        if (!node.isObject()) throw error("expected a mapping of " + String.join(", ", allowed.stream().sorted().toList()));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(child(key) + ": unknown key (known here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    public ConfigNode get(String key) {
        return new ConfigNode(isMissing() ? null : node.get(key), child(key), environment);
    }

    public List<ConfigNode> list() {
        List<ConfigNode> items = new ArrayList<>();
        if (isMissing()) return items;
        if (!node.isArray()) throw error("expected a list");
        for (int i = 0; i < node.size(); i++) items.add(new ConfigNode(node.get(i), path + "[" + i + "]", environment));
        return items;
    }

    public Map<String, ConfigNode> map() {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        if (isMissing()) return entries;
        if (!node.isObject()) throw error("expected a mapping");
        node.fields().forEachRemaining(e -> entries.put(e.getKey(), new ConfigNode(e.getValue(), child(e.getKey()), environment)));
        return entries;
    }

    public String string(String defaultValue) {
        if (isMissing()) return defaultValue;
        if (!node.isValueNode()) throw error("expected a text value");
        return expand(node.asText());
    }

    public String requiredString() {
        String value = string(null);
        if (value == null || value.isBlank()) throw error("required");
        return value;
    }

    public List<String> strings() {
        if (!isMissing() && node.isValueNode()) return List.of(string(null));
        return list().stream().map(ConfigNode::requiredString).toList();
    }

    public boolean bool(boolean defaultValue) {
        String value = string(null);
        if (value == null) return defaultValue;
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error("expected true or false, got '" + value + "'");
        };
    }

    public long number(long defaultValue, long min, long max) {
        String value = string(null);
        if (value == null) return defaultValue;
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n < min || n > max) throw error("must be between " + min + " and " + max + ", got " + n);
            return n;
        } catch (NumberFormatException e) {
            throw error("expected a whole number, got '" + value + "'");
        }
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}. */
    public Duration duration(Duration defaultValue) {
        String value = string(null);
        if (value == null) return defaultValue;
        Duration parsed = parseDuration(value);
        if (parsed == null) throw error("expected a duration such as 250ms, 30s, 5m or 1h, got '" + value + "'");
        return parsed;
    }

    /** A duration that must be more than zero. */
    public Duration positiveDuration(Duration defaultValue) {
        Duration value = duration(defaultValue);
        if (value.isZero() || value.isNegative()) throw error("must be more than zero");
        return value;
    }

    /** A duration written {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code 7d}; null when it is not one. */
    public static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) return null;
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    public <E extends Enum<E>> E choice(Class<E> type, E defaultValue) {
        String value = string(null);
        if (value == null) return defaultValue;
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) return constant;
        }
        throw error("expected one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()) + ", got '" + value + "'");
    }

    public ConfigException error(String problem) {
        return new ConfigException(path + ": " + problem);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String expand(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = environment.apply(matcher.group(1));
            if (value == null) value = matcher.group(2);
            if (value == null) throw error("environment variable " + matcher.group(1) + " is not set (write ${" + matcher.group(1) + ":-default} for a default)");
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
