package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.composition.BigSupergraphs;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A supergraph cut into pieces ({@link SdlPieces}) parses, piece by piece, to the definitions of the whole. */
class SdlPiecesTest {
    @Test
    void everyKnownSupergraphCutAtEveryDefinitionParsesToTheSameDefinitions() throws IOException {
        List<String> supergraphs = new ArrayList<>(KnownSupergraphs.all());
        supergraphs.add(BigSupergraphs.compose(BigSupergraphs.sources(10, "chain")));
        int pieces = 0;
        for (String sdl : supergraphs) {
            List<String> cut = SdlPieces.split(sdl, 1); // as small as they can be: a piece per definition
            assertThat(String.join("", cut)).isEqualTo(sdl);
            assertThat(inPieces(cut)).isEqualTo(AstPrinter.printAst(parse(sdl)));
            pieces += cut.size();
        }
        assertThat(pieces).isGreaterThan(10 * supergraphs.size());
    }

    @Test
    void stringsBlockStringsCommentsAndBracketsAreNotCut() {
        String sdl = """
                "A description with } and # in it"
                type Query {
                  a: A
                  "field description"
                  b(x: String = "{ not a brace", y: [Int] = [1,
                2]): String
                }
                \"""
                A block string whose lines look like definitions:
                type Fake {
                \\\""" still inside
                scalar Nope
                \"""
                type A @d(fields: "id } {", note: \"""
                type Inside { x: Int }
                \""") {
                  id: ID
                }
                # a comment with " a quote and { a brace
                union U =
                  | A
                enum E {
                  type
                  input
                }
                directive @d(fields: String, note: String) on OBJECT
                scalar S
                """;
        List<String> cut = SdlPieces.split(sdl, 1);
        assertThat(String.join("", cut)).isEqualTo(sdl);
        // Query with its description; A with its block-string description and the comment after it; U; E; @d; S
        assertThat(cut).hasSize(6);
        assertThat(inPieces(cut)).isEqualTo(AstPrinter.printAst(parse(sdl)));
    }

    @Test
    void aDocumentSmallerThanOnePieceIsOnePiece() {
        String sdl = "type Query { a: Int }\n\ntype B { b: Int }\n";
        assertThat(SdlPieces.split(sdl, 1024)).containsExactly(sdl);
        assertThat(SdlPieces.split("", 1024)).containsExactly("");
    }

    private static String inPieces(List<String> pieces) {
        List<Definition> definitions = new ArrayList<>();
        for (String piece : pieces) definitions.addAll(parse(piece).getDefinitions());
        return AstPrinter.printAst(Document.newDocument().definitions(definitions).build());
    }

    private static Document parse(String sdl) {
        return Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                .parserOptions(ParserOptions.getDefaultParserOptions().transform(o -> o.maxTokens(Integer.MAX_VALUE)
                        .maxWhitespaceTokens(Integer.MAX_VALUE).maxCharacters(Integer.MAX_VALUE)))
                .build());
    }
}
