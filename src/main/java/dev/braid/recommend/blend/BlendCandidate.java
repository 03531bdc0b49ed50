package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.catalog.CatalogItem;
import dev.braid.recommend.SourceId;

/**
 * One item after merging: its blended score, the sources that proposed it and why, and (once hydrated) its catalog
 * details.
 *
 * @param itemId   the catalog's id
 * @param sources  the sources that proposed it, in contribution order
 * @param evidence one per source, in the same order
 * @param details   the catalog item, or null until hydrated (or when the catalog does not know the item)
 */
public record BlendCandidate(String itemId, double score, List<SourceId> sources, List<Evidence> evidence,
                             CatalogItem details) {

    public BlendCandidate {
        if (itemId == null || itemId.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
        sources = List.copyOf(sources);
        evidence = List.copyOf(evidence);
    }

    public BlendCandidate withDetails(CatalogItem details) {
        return new BlendCandidate(itemId, score, sources, evidence, details);
    }

    /** The item's category, or null when not hydrated or uncategorized. */
    public String category() {
        return details == null ? null : details.category();
    }
}
