package dev.braid.recommend;

import java.util.List;
import java.util.Map;

/**
 * One made list: what the cache keeps and every page of it is cut from.
 *
 * @param version       the list's own id: cursors name it, so later pages come from this very list
 * @param items         the whole list, best first (longer than any page)
 * @param sources       how each planned source answered
 * @param partial       a source the plan wanted did not contribute
 * @param degraded      why the list is less than the full personalized one, or {@code null}
 * @param modelVersions the model version behind each source that reported one
 * @param reranked      how the plan's re-ranking went, or {@code null} when there was none
 */
public record BlendedList(String version, List<RankedItem> items, List<SourceReport> sources, boolean partial,
                          Degradation degraded, Map<SourceId, String> modelVersions, SourceReport reranked) {

    public BlendedList {
        items = List.copyOf(items);
        sources = List.copyOf(sources);
        modelVersions = Map.copyOf(modelVersions);
    }
}
