package dev.braid.catalog;

import java.math.BigDecimal;

/** What the API renders of a catalog item. */
public record CatalogItem(String itemId, String title, String category, String brand, BigDecimal price, boolean inStock) {
}
