package dev.braid.search;

import java.math.BigDecimal;
import java.time.Instant;

import dev.braid.catalog.CatalogItem;

/** One item of a search or feed page; fields that were not asked for are {@code null}. */
public record SearchItem(String itemId, String title, String description, String category, String brand,
                         BigDecimal price, Double popularity, Instant publishedAt, Boolean inStock) {

    /** What the catalog keeps in memory of an item, for answers made without the engine. */
    public static SearchItem of(CatalogItem item) {
        return new SearchItem(item.itemId(), item.title(), null, item.category(), item.brand(), item.price(), null, null,
                              item.inStock());
    }
}
