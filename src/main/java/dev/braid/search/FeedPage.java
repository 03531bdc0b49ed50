package dev.braid.search;

import java.util.List;

/**
 * What a feed page answers.
 *
 * @param nextCursor the signed cursor of the next page; {@code null} at the end of the feed
 * @param tier       the degradation tier that answered
 */
public record FeedPage(List<SearchItem> items, String nextCursor, SearchTier tier) {
}
