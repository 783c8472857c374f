package dev.vestibule.tests.bff;

import dev.vestibule.router.bff.BffOperation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * A BffOperation written by hand, for the host's tests (a fixture): what a BFF module's build generates from its
 * .graphql files, made here from a document and two mapping functions.
 */
record HandOperation<V extends Record, D extends Record>(String name, String type, String document,
                                                         Function<V, Map<String, Object>> toVariables,
                                                         Function<Map<String, Object>, D> toData) implements BffOperation<V, D> {
    @Override
    public String id() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, Object> variables(V variables) {
        return toVariables.apply(variables);
    }

    @Override
    public D data(Map<String, Object> data) {
        return toData.apply(data);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    static Double decimal(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
