package dev.braid.search;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.braid.catalog.CatalogItem;

/**
 * What a search is narrowed to: values per facet field (an item matches when its field has any of them) and a price
 * range. Kept sorted, so two requests that mean the same have the same canonical form.
 *
 * @param terms    values per facet field (only {@link #FACETS}); an absent or empty field does not narrow
 * @param priceMin the lowest price, inclusive, or {@code null}
 * @param priceMax the highest price, inclusive, or {@code null}
 */
public record SearchFilters(SortedMap<String, SortedSet<String>> terms, BigDecimal priceMin, BigDecimal priceMax) {
    /** The keyword fields that can be filtered on and are counted as facets. */
    public static final List<String> FACETS = List.of("category", "brand");

    public SearchFilters {
        SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
        terms.forEach((field, values) -> {
            if (!FACETS.contains(field)) {
                throw new IllegalArgumentException("not a facet field: " + field);
            }
            if (!values.isEmpty()) {
                copy.put(field, new TreeSet<>(values));
            }
        });
        terms = copy;
        priceMin = canonical(priceMin);
        priceMax = canonical(priceMax);
        if (priceMin != null && priceMax != null && priceMin.compareTo(priceMax) > 0) {
            throw new IllegalArgumentException("price_min is above price_max");
        }
    }

    public static SearchFilters none() {
        return new SearchFilters(new TreeMap<>(), null, null);
    }

    public static SearchFilters of(Map<String, ? extends Set<String>> terms, BigDecimal priceMin, BigDecimal priceMax) {
        SortedMap<String, SortedSet<String>> sorted = new TreeMap<>();
        terms.forEach((field, values) -> sorted.put(field, new TreeSet<>(values)));
        return new SearchFilters(sorted, priceMin, priceMax);
    }

    /** The values {@code field} is narrowed to; empty when it is not. */
    public SortedSet<String> values(String field) {
        return terms.getOrDefault(field, new TreeSet<>());
    }

    /** Whether {@code item} passes every filter (for answers made without the engine). */
    public boolean admits(CatalogItem item) {
        if (!values("category").isEmpty() && !values("category").contains(item.category())
            || !values("brand").isEmpty() && !values("brand").contains(item.brand())) {
            return false;
        }
        BigDecimal price = item.price();
        if (priceMin != null && (price == null || price.compareTo(priceMin) < 0)) {
            return false;
        }
        return priceMax == null || (price != null && price.compareTo(priceMax) <= 0);
    }

    String canonical() {
        StringBuilder canonical = new StringBuilder();
        terms.forEach((field, values) -> canonical.append(field).append('=').append(String.join("\u001f", values))
                .append('\u001e'));
        return canonical.append("price=").append(plain(priceMin)).append("..").append(plain(priceMax)).toString();
    }

    /** 200, 200.0 and 200.00 are one price, and one request body for the engine's cache. */
    private static BigDecimal canonical(BigDecimal price) {
        return price == null ? null : new BigDecimal(price.stripTrailingZeros().toPlainString());
    }

    private static String plain(BigDecimal price) {
        return price == null ? "" : price.toPlainString();
    }
}
