package dev.vestibule.router.middleware;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A header-name pattern of a header rule ({@code matching:}), case-insensitive. The rules run for every subgraph
 * call, and clients send the same few header names on every request, so each name's answer is remembered and the
 * regular expression runs once a name rather than once a call. Names are the client's to choose: about
 * {@value #REMEMBERED} are remembered (a few more when threads add at the same moment), and past that the pattern runs
 * for the others.
 */
public final class HeaderNamePattern {
    static final int REMEMBERED = 256;
    private final Pattern pattern;
    private final ConcurrentHashMap<String, Boolean> answers = new ConcurrentHashMap<>();

    private HeaderNamePattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws PatternSyntaxException when {@code regex} is not a valid regular expression */
    public static HeaderNamePattern compile(String regex) {
        return new HeaderNamePattern(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }

    public boolean matches(String name) {
        Boolean known = answers.get(name);
        if (known != null) return known;
        boolean matches = pattern.matcher(name).matches();
        if (answers.size() < REMEMBERED) answers.put(name, matches);
        return matches;
    }

    int remembered() {
        return answers.size();
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }
}
