package dev.braid.recommend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a source's candidates are explained to the user: the kind of reason, which the explain step turns into words
 * with the item's metadata ("popular in Shoes", "because you viewed Trail Runner"). A property of the source, set in its
 * configuration ({@code sources.<name>.explain}).
 */
public enum Explanation {
    /** A per-user model: "recommended for you". */
    FOR_YOU,
    /** Trending now: "trending in Shoes". */
    TRENDING,
    /** Popular: "popular in Shoes". */
    POPULAR,
    /** Like an item the user interacted with (the candidate's anchor): "because you viewed Trail Runner". */
    SIMILAR,
    /** Picked by people: "editor's pick". */
    EDITORIAL;

    // Made once: answers write it on every request.
    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The name in configuration: {@code for-you}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<Explanation> parse(String wireName) {
        return Arrays.stream(values()).filter(value -> value.wireName().equals(wireName)).findFirst();
    }
}
