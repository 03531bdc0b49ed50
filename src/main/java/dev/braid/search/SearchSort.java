package dev.braid.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The orders a search can be sorted in. Every order ends with the item id, so pages never tie. */
public enum SearchSort {
    RELEVANCE, NEWEST, POPULAR, PRICE_ASC, PRICE_DESC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SearchSort> fromWire(String name) {
        return Arrays.stream(values()).filter(sort -> sort.wireName().equals(name)).findFirst();
    }
}
