package dev.braid.recommend;

import java.util.List;

import dev.braid.catalog.CatalogItem;

/**
 * One item of the final list: its blended score, every source that proposed it, why it is there, and its catalog
 * metadata ({@code null} until hydrated, and when the catalog could not answer).
 */
public record RankedItem(String itemId, double score, List<SourceId> sources, List<String> reasons, CatalogItem details) {

    public RankedItem {
        sources = List.copyOf(sources);
        reasons = List.copyOf(reasons);
    }

    public RankedItem(String itemId, double score, List<SourceId> sources, List<String> reasons) {
        this(itemId, score, sources, reasons, null);
    }

    public RankedItem withDetails(CatalogItem catalogItem) {
        return new RankedItem(itemId, score, sources, reasons, catalogItem);
    }
}
