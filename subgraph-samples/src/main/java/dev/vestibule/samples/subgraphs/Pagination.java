package dev.vestibule.samples.subgraphs;

import graphql.GraphqlErrorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Relay-style connections over in-memory lists: the cursor is the id of the last item seen. */
final class Pagination {
    static final int MAX_PAGE = 100;

    private Pagination() {}

    static <T> Map<String, Object> connection(List<T> items, Integer first, String after, Function<T, String> id) {
        int size = first == null ? 10 : first;
        if (size < 0 || size > MAX_PAGE) {
            throw GraphqlErrorException.newErrorException()
                    .message("first must be between 0 and " + MAX_PAGE + ", got " + size).build();
        }
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < items.size(); i++) {
                if (id.apply(items.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw GraphqlErrorException.newErrorException()
                        .message("unknown cursor '" + after + "': pass an endCursor from a previous page").build();
            }
        }
        int end = Math.min(items.size(), start + size);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (T item : items.subList(start, end)) edges.add(Map.of("cursor", id.apply(item), "node", item));
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < items.size());
        pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
        return Map.of("edges", edges, "pageInfo", pageInfo, "totalCount", items.size());
    }
}
