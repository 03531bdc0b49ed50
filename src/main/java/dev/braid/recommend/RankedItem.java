package dev.braid.recommend;

import java.util.List;

/**
 * One item of the final list: its blended score, every source that proposed it, and why it is there.
 */
public record RankedItem(String itemId, double score, List<SourceId> sources, List<String> reasons) {

    public RankedItem {
        sources = List.copyOf(sources);
        reasons = List.copyOf(reasons);
    }
}
