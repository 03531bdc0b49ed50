package dev.braid.search;

import java.util.List;

/**
 * One feed page as the engine answered it.
 *
 * @param items     the page, in order
 * @param nextAfter the sort values to continue after, or {@code null} at the end of the snapshot
 * @param snapshot  the point-in-time id to continue with (the engine may hand out a new one each page), or {@code null}
 */
public record FeedResult(List<SearchItem> items, List<Object> nextAfter, String snapshot) {
    public FeedResult {
        items = List.copyOf(items);
        nextAfter = nextAfter == null ? null : List.copyOf(nextAfter);
    }
}
