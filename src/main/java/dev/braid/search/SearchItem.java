package dev.braid.search;

import java.math.BigDecimal;
import java.time.Instant;

/** One item of a search or feed page; fields that were not asked for are {@code null}. */
public record SearchItem(String itemId, String title, String description, String category, String brand,
                         BigDecimal price, Double popularity, Instant publishedAt, Boolean inStock) {
}
