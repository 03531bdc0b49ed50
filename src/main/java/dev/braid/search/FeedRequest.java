package dev.braid.search;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One page of a feed, as the engine is asked for it.
 *
 * @param affinities boosts of the user's categories and brands (none for anonymous visitors)
 * @param origin     the instant the feed started: recency is measured from it and nothing published after it shows,
 *                   so every page ranks the same way
 * @param snapshot   the point in time the walk reads, or {@code null} for the unranked newest-first walk, which is
 *                   stable without one
 * @param after      the sort values of the last item served, or empty for the first page
 * @param size       items per page
 * @param fields     the item fields to render
 */
public record FeedRequest(Affinities affinities, Instant origin, String snapshot, List<Object> after, int size,
                          Set<ItemField> fields) {
    public FeedRequest {
        after = List.copyOf(after);
        fields = Set.copyOf(fields);
    }

    public boolean ranked() {
        return snapshot != null;
    }
}
