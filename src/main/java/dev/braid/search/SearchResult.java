package dev.braid.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page as the engine answered it.
 *
 * @param items      the page, in order
 * @param total      how many items match
 * @param totalExact whether {@code total} is exact or a lower bound (large result sets are not counted to the end)
 * @param facets     counts per facet field and value; empty when facets were not computed
 * @param nextAfter  the sort values to continue after, or {@code null} when this is the last page
 */
public record SearchResult(List<SearchItem> items, long total, boolean totalExact, Map<String, List<FacetCount>> facets,
                           List<Object> nextAfter) {
    public SearchResult {
        items = List.copyOf(items);
        facets = Collections.unmodifiableMap(new LinkedHashMap<>(facets));
        nextAfter = nextAfter == null ? null : List.copyOf(nextAfter);
    }
}
