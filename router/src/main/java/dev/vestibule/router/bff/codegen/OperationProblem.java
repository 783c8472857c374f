package dev.vestibule.router.bff.codegen;

/**
 * Why one operation of a BFF module cannot run against a schema: where (the module, its file and line), which
 * operation, which field (a schema coordinate such as {@code Product.price}, or null when the problem is not a
 * field's) and what is wrong. The build and {@code vestibule check} print it the same way.
 */
public record OperationProblem(String module, String file, int line, int column, String operation, String field, String message) {

    /** "bff-mobile: src/main/graphql/product.graphql:4:5: operation Product: field Product.price: Field 'price' ..." */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (module != null) text.append(module).append(": ");
        text.append(file);
        if (line > 0) text.append(':').append(line).append(':').append(column);
        text.append(": ");
        if (operation != null) text.append("operation ").append(operation).append(": ");
        if (field != null) text.append("field ").append(field).append(": ");
        return text.append(message).toString();
    }
}
