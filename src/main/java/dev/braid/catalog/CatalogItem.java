package dev.braid.catalog;

import java.math.BigDecimal;

/**
 * What the API renders of a catalog item, and what blending needs of it.
 *
 * @param inStock   out-of-stock items are never recommended
 * @param embedding the item's vector, when the catalog has one: diversity then compares items by it; {@code null}:
 *                  compared by category and brand
 */
public record CatalogItem(String itemId, String title, String category, String brand, BigDecimal price, boolean inStock,
                          Embedding embedding) {

    public CatalogItem(String itemId, String title, String category, String brand, BigDecimal price, boolean inStock) {
        this(itemId, title, category, brand, price, inStock, null);
    }
}
