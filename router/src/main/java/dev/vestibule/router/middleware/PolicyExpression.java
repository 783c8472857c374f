package dev.vestibule.router.middleware;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named policy's condition ({@code authorization.policies} in the router config): a small boolean language over the
 * caller's scopes and claims, parsed once at start. No script engine and no regular expression: a policy can only
 * test what is written here, and testing costs a few map lookups.
 *
 * <pre>
 * expression := and ( "||" and )*
 * and        := not ( "&amp;&amp;" not )*
 * not        := "!" not | "(" expression ")" | test
 * test       := "authenticated"
 *             | "scope:" name                        the caller holds the scope
 *             | claim                                the claim is present, and neither null nor false
 *             | claim ( "==" | "!=" ) string         the claim is that string (or a number or boolean written so)
 *             | claim "contains" string              a list claim has that element; a text claim that space-separated word
 * claim      := "claim" ( "." identifier | "[" string "]" )+      nested claims by path; ["https://..."] for any name
 * string     := '...' | "..."                       no escapes: use the other quote
 * name       := string | characters up to a space, a parenthesis, '!', '&amp;' or '|'
 * </pre>
 */
public sealed interface PolicyExpression {

    /** Whether a caller (anonymous: not authenticated, no scopes, no claims) satisfies the expression. */
    boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims);

    record Or(List<PolicyExpression> any) implements PolicyExpression {
        public boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims) {
            for (PolicyExpression e : any) if (e.test(authenticated, scopes, claims)) return true;
            return false;
        }
    }

    record And(List<PolicyExpression> all) implements PolicyExpression {
        public boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims) {
            for (PolicyExpression e : all) if (!e.test(authenticated, scopes, claims)) return false;
            return true;
        }
    }

    record Not(PolicyExpression negated) implements PolicyExpression {
        public boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims) {
            return !negated.test(authenticated, scopes, claims);
        }
    }

    record Authenticated() implements PolicyExpression {
        public boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims) {
            return authenticated;
        }
    }

    record HasScope(String scope) implements PolicyExpression {
        public boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims) {
            return scopes.contains(scope);
        }
    }

    /** A claim's test; {@code path} walks nested JSON objects. */
    record ClaimTest(List<String> path, Operator operator, String value) implements PolicyExpression {
        public boolean test(boolean authenticated, Set<String> scopes, Map<String, Object> claims) {
            Object claim = claims;
            for (String name : path) claim = claim instanceof Map<?, ?> object ? object.get(name) : null;
            return switch (operator) {
                case PRESENT -> claim != null && !Boolean.FALSE.equals(claim);
                case EQUALS -> scalar(claim, value);
                case NOT_EQUALS -> !scalar(claim, value);
                case CONTAINS -> switch (claim) {
                    case List<?> list -> list.stream().anyMatch(element -> scalar(element, value));
                    case String text -> Authenticator.scopeNames(text).contains(value);
                    case null, default -> false;
                };
            };
        }

        private static boolean scalar(Object claim, String value) {
            return (claim instanceof String || claim instanceof Number || claim instanceof Boolean) && value.equals(claim.toString());
        }
    }

    enum Operator { PRESENT, EQUALS, NOT_EQUALS, CONTAINS }

    /** @throws IllegalArgumentException naming what is wrong and where (1-based column) */
    static PolicyExpression parse(String text) {
        Parser parser = new Parser(text);
        PolicyExpression expression = parser.or();
        parser.skipSpaces();
        if (parser.at < text.length()) throw parser.error("unexpected '" + text.charAt(parser.at) + "'");
        return expression;
    }

    final class Parser {
        private final String text;
        private int at;
        private int depth;

        private Parser(String text) {
            this.text = text;
        }

        private PolicyExpression or() {
            List<PolicyExpression> any = new ArrayList<>(List.of(and()));
            while (take("||")) any.add(and());
            return any.size() == 1 ? any.getFirst() : new Or(List.copyOf(any));
        }

        private PolicyExpression and() {
            List<PolicyExpression> all = new ArrayList<>(List.of(not()));
            while (take("&&")) all.add(not());
            return all.size() == 1 ? all.getFirst() : new And(List.copyOf(all));
        }

        private PolicyExpression not() {
            if (++depth > 64) throw error("nested too deeply");
            try {
                if (take("!")) return new Not(not());
                if (take("(")) {
                    PolicyExpression inner = or();
                    if (!take(")")) throw error("expected ')'");
                    return inner;
                }
                return test();
            } finally {
                depth--;
            }
        }

        private PolicyExpression test() {
            skipSpaces();
            if (word("authenticated")) return new Authenticated();
            if (text.startsWith("scope:", at)) {
                at += "scope:".length();
                String scope = peekQuote() ? string() : bare();
                if (scope.isEmpty()) throw error("expected a scope name after 'scope:'");
                return new HasScope(scope);
            }
            if (text.startsWith("claim", at) && at + 5 < text.length() && (text.charAt(at + 5) == '.' || text.charAt(at + 5) == '[')) {
                at += "claim".length();
                List<String> path = new ArrayList<>();
                while (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == '[')) {
                    if (text.charAt(at++) == '.') {
                        int start = at;
                        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == '-')) at++;
                        if (start == at) throw error("expected a claim name after '.' (or claim['name'] for other characters)");
                        path.add(text.substring(start, at));
                    } else {
                        skipSpaces();
                        path.add(string());
                        if (!take("]")) throw error("expected ']'");
                    }
                }
                if (take("==")) return new ClaimTest(List.copyOf(path), Operator.EQUALS, quoted("=="));
                if (take("!=")) return new ClaimTest(List.copyOf(path), Operator.NOT_EQUALS, quoted("!="));
                skipSpaces();
                if (word("contains")) return new ClaimTest(List.copyOf(path), Operator.CONTAINS, quoted("contains"));
                return new ClaimTest(List.copyOf(path), Operator.PRESENT, null);
            }
            throw error(at >= text.length() ? "the expression ends where a test is expected (authenticated, scope:NAME, claim.NAME ...)"
                    : "expected authenticated, scope:NAME, claim.NAME, '!' or '('");
        }

        private String quoted(String after) {
            skipSpaces();
            if (!peekQuote()) throw error("expected a quoted string after " + after);
            return string();
        }

        private boolean peekQuote() {
            return at < text.length() && (text.charAt(at) == '\'' || text.charAt(at) == '"');
        }

        private String string() {
            if (!peekQuote()) throw error("expected a quoted string");
            char quote = text.charAt(at);
            int end = text.indexOf(quote, at + 1);
            if (end < 0) throw error("the string is not closed");
            String value = text.substring(at + 1, end);
            at = end + 1;
            return value;
        }

        private String bare() {
            int start = at;
            while (at < text.length() && " \t\r\n()!&|'\"".indexOf(text.charAt(at)) < 0) at++;
            return text.substring(start, at);
        }

        /** A keyword, not the start of a longer name. */
        private boolean word(String keyword) {
            int end = at + keyword.length();
            if (!text.startsWith(keyword, at) || (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'))) {
                return false;
            }
            at = end;
            return true;
        }

        private boolean take(String token) {
            skipSpaces();
            if (!text.startsWith(token, at)) return false;
            at += token.length();
            return true;
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at column " + (at + 1));
        }
    }
}
