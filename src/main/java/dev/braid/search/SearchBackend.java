package dev.braid.search;

import java.time.Duration;
import java.util.List;

import dev.braid.token.InvalidCursorException;

/**
 * The search engine behind searches and feeds. Every call gives up after {@code limit}.
 *
 * <p>Failures: {@link SearchUnavailableException} when the engine does not answer; {@link InvalidCursorException} when
 * a feed's snapshot no longer exists; {@link SnapshotRefusedException} when the engine declines another point in time.
 */
public interface SearchBackend {

    /**
     * One page of {@code query}, continuing after {@code after} (empty for the first page), its words matched with
     * {@code spelling}. In the {@link SearchTier#FULL} tier it ranks with {@code affinities} and counts facets; in
     * {@link SearchTier#SIMPLIFIED} it does neither.
     */
    SearchResult search(SearchQuery query, Affinities affinities, List<Object> after, SearchTier tier, Spelling spelling,
                        Duration limit);

    /** Opens a point in time over the catalog that lives {@code keepAlive} after its last use; returns its id. */
    String openSnapshot(Duration keepAlive, Duration limit);

    /** One page of a feed; a ranked page also extends its snapshot's life by {@code keepAlive}. */
    FeedResult feed(FeedRequest request, Duration keepAlive, Duration limit);
}
