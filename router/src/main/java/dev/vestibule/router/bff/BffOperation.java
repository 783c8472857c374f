package dev.vestibule.router.bff;

import java.util.Map;

/**
 * One operation of a BFF module, as the module's build generates it from {@code src/main/graphql/*.graphql}: the
 * document the router runs (and the persisted-operation manifest lists under {@link #id()}), and the typed records of
 * its variables ({@code V}) and its result's {@code data} ({@code D}). Generated code implements it; nobody writes one
 * by hand outside tests. The route code of a module shapes {@code D} for its screen.
 *
 * @param <V> the variables record ({@link NoVariables} for an operation without variables)
 * @param <D> the data record: one component per root field (by response name), nested records for selections,
 *            {@code null} where the answer has null (a nullable field, or a part that failed)
 */
public interface BffOperation<V extends Record, D extends Record> {

    /** The operation's name, as in its document ({@code query Home { ... }}: "Home"). */
    String name();

    /** "query" or "mutation". */
    String type();

    /** The operation's text, exactly as the manifest's {@code body}: the string whose sha256 is {@link #id()}. */
    String document();

    /** The lowercase hex sha256 of {@link #document()} (Apollo's persisted-operation id). */
    String id();

    /** The variables as JSON-ready values (maps, lists, strings, numbers, booleans, null) for the request. */
    Map<String, Object> variables(V variables);

    /** The answer's {@code data} object (JSON-decoded: maps, lists, strings, numbers, booleans, null) as the record. */
    D data(Map<String, Object> data);

    /** The variables of an operation that has none. */
    record NoVariables() {
        public static final NoVariables INSTANCE = new NoVariables();
    }
}
