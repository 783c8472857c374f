package dev.vestibule.router.supergraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits an SDL document into pieces of whole top-level definitions, so that a large supergraph can be parsed one
 * piece at a time (issue #28): graphql-java's parser holds every token and the whole parse tree of what it parses
 * until it has made the document, several times the document's own size (figures in docs/performance.md), so a
 * big supergraph parsed whole made the largest heap of the load.
 *
 * <p>A piece ends before a line that starts, at its first column, a definition (a definition keyword, or the quote
 * of its description) outside any string, block string, comment and bracket. Any split this makes of a valid
 * document gives pieces that parse to the document's definitions, in order; a document written so oddly that a piece
 * does not parse on its own (a definition continued on a line that starts with a keyword as a name) is parsed whole
 * by the caller instead, which is also how its errors are reported.
 */
final class SdlPieces {
    private static final Set<String> DEFINITION_KEYWORDS = Set.of("type", "interface", "union", "enum", "input", "scalar",
            "directive", "schema", "extend");

    private SdlPieces() {}

    /** The document in pieces of at least {@code size} characters each (the last one may be shorter), in order. */
    static List<String> split(String sdl, int size) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int depth = 0;
        int n = sdl.length();
        boolean afterString = false; // the last token was a string: a description, which belongs with what follows it
        int i = 0;
        while (i < n) {
            char c = sdl.charAt(i);
            switch (c) {
                case '#' -> {
                    i = endOfLine(sdl, i);
                    continue;
                }
                case '"' -> {
                    i = sdl.startsWith("\"\"\"", i) ? endOfBlockString(sdl, i + 3) : endOfString(sdl, i + 1);
                    afterString = true;
                    continue;
                }
                case '\n' -> {
                    if (depth == 0 && !afterString && i + 1 - start >= size && startsDefinition(sdl, i + 1)) {
                        pieces.add(sdl.substring(start, i + 1));
                        start = i + 1;
                    }
                }
                case ' ', '\t', '\r', ',' -> { }
                default -> {
                    if (c == '{' || c == '(' || c == '[') depth++;
                    else if (c == '}' || c == ')' || c == ']') depth--;
                    afterString = false;
                }
            }
            i++;
        }
        if (start < n || pieces.isEmpty()) pieces.add(sdl.substring(start));
        return pieces;
    }

    /** The index of the line break that ends the comment at {@code i} (or the end). */
    private static int endOfLine(String sdl, int i) {
        int end = i;
        while (end < sdl.length() && sdl.charAt(end) != '\n' && sdl.charAt(end) != '\r') end++;
        return end;
    }

    /** The index after the quote that closes a string whose text starts at {@code i} (strings end at their line). */
    private static int endOfString(String sdl, int i) {
        while (i < sdl.length()) {
            char c = sdl.charAt(i);
            if (c == '\\') i += 2;
            else if (c == '"') return i + 1;
            else if (c == '\n' || c == '\r') return i; // unterminated: the parser says so
            else i++;
        }
        return sdl.length();
    }

    /** The index after the {@code """} that closes a block string whose text starts at {@code i} ({@code \"""} is text). */
    private static int endOfBlockString(String sdl, int i) {
        while (i < sdl.length()) {
            if (sdl.startsWith("\\\"\"\"", i)) i += 4;
            else if (sdl.startsWith("\"\"\"", i)) return i + 3;
            else i++;
        }
        return sdl.length();
    }

    private static boolean startsDefinition(String sdl, int i) {
        if (i >= sdl.length()) return false;
        if (sdl.charAt(i) == '"') return true;
        int end = i;
        while (end < sdl.length() && Character.isLetter(sdl.charAt(end))) end++;
        boolean wordEnds = end < sdl.length() && !isNameCharacter(sdl.charAt(end));
        return wordEnds && DEFINITION_KEYWORDS.contains(sdl.substring(i, end));
    }

    private static boolean isNameCharacter(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
