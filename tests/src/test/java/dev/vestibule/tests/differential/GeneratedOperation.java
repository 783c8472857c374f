package dev.vestibule.tests.differential;

import graphql.language.AstPrinter;
import graphql.language.Document;
import java.util.Map;

/** One operation as a client sends it: its document (printed as {@link #text()}) and the variables' values. */
public record GeneratedOperation(Document document, Map<String, Object> variables) {
    public GeneratedOperation {
        variables = Map.copyOf(variables);
    }

    public String text() {
        return AstPrinter.printAst(document);
    }

    /** The operation on one line, for summaries and logs. */
    public String compact() {
        return AstPrinter.printAstCompact(document);
    }
}
