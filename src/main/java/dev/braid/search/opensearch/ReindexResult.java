package dev.braid.search.opensearch;

import java.time.Duration;
import java.util.List;

/** How a load ended. A failure of the cluster itself is an exception, not one of these. */
public sealed interface ReindexResult {

    /** The new index is complete, checked and behind the alias; {@code previous} still exist for rollback. */
    record Swapped(String index, List<String> previous, long documents, long errors, List<String> deleted, Duration took)
            implements ReindexResult {
        public Swapped {
            previous = List.copyOf(previous);
            deleted = List.copyOf(deleted);
        }
    }

    /** The new index was deleted again and the alias never moved. */
    record Aborted(String index, String reason, long documents, long errors, Duration took) implements ReindexResult {
    }
}
