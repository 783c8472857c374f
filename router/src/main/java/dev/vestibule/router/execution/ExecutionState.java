package dev.vestibule.router.execution;

import dev.vestibule.router.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The data fetched so far for one request and the errors met. Fetch threads synchronize on it. */
public final class ExecutionState {
    private final Map<String, Object> data = new JsonObject();
    private final List<Map<String, Object>> errors = new ArrayList<>();

    /** The merged data: written by fetches under this object's lock, read when execution is over. */
    public Map<String, Object> data() {
        return data;
    }

    synchronized void addError(Map<String, Object> error) {
        errors.add(error);
    }

    public synchronized List<Map<String, Object>> errors() {
        return List.copyOf(errors);
    }
}
