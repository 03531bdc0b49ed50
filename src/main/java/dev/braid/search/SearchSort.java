package dev.braid.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The orders a search can be sorted in. Every order ends with the item id, so pages never tie. */
public enum SearchSort {
    RELEVANCE, NEWEST, POPULAR, PRICE_ASC, PRICE_DESC;

    // Made once: answers write it on every request.
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Optional<SearchSort> fromWire(String name) {
        return Arrays.stream(values()).filter(sort -> sort.wireName().equals(name)).findFirst();
    }
}
