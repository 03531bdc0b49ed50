package dev.braid.search;

import java.util.List;
import java.util.Map;

/**
 * What a search answers: the page, how it was made and how to continue.
 *
 * @param nextCursor the signed cursor of the next page, or {@code null} when there is none
 * @param tier       the degradation tier that answered
 */
public record SearchPage(List<SearchItem> items, long total, boolean totalExact, Map<String, List<FacetCount>> facets,
                         String nextCursor, SearchTier tier) {
}
