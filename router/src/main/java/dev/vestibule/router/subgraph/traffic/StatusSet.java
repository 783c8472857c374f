package dev.vestibule.router.subgraph.traffic;

import java.util.Set;

/** HTTP statuses as a table: asked once per call, without boxing the status. */
final class StatusSet {
    private final boolean[] members = new boolean[600];

    StatusSet(Set<Integer> statuses) {
        for (int status : statuses) {
            if (status >= 0 && status < members.length) members[status] = true;
        }
    }

    boolean contains(int status) {
        return status >= 0 && status < members.length && members[status];
    }
}
