package dev.vestibule.tests;

import dev.vestibule.router.Gateway;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.json.JsonReader;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.SubgraphHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** For tests that call the engine directly: a default request context, and answers read back from their JSON. */
public final class Answers {
    private Answers() {}

    /** An anonymous caller, no subgraph headers, the default request timeout from now, the plan not exposed. */
    public static RequestContext anonymous() {
        return RequestContext.of(Caller.ANONYMOUS, SubgraphHeaders.NONE, RouterSettings.DEFAULTS.requestTimeout());
    }

    /** Runs {@code request} as {@link #anonymous()} and reads the answer back. */
    public static Map<String, Object> execute(Gateway gateway, GraphQLRequest request) {
        return read(gateway.execute(request, anonymous()));
    }

    /** The answer's JSON as a map. */
    public static Map<String, Object> read(JsonBytes answer) {
        try {
            return JsonReader.readObject(answer.toArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the engine wrote an answer it cannot read back", e);
        }
    }

    /** The answer's JSON as text. */
    public static String text(JsonBytes answer) {
        return new String(answer.array(), 0, answer.length(), StandardCharsets.UTF_8);
    }
}
