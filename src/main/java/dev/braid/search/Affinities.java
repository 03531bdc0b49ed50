package dev.braid.search;

import java.util.Map;

/**
 * What a user leans toward: weights per category and per brand, from their events. Searches and feeds boost items that
 * match them. Small by construction: only a user's strongest affinities are kept.
 */
public record Affinities(Map<String, Double> categories, Map<String, Double> brands) {
    private static final Affinities NONE = new Affinities(Map.of(), Map.of());

    public Affinities {
        categories = Map.copyOf(categories);
        brands = Map.copyOf(brands);
    }

    public static Affinities none() {
        return NONE;
    }

    public boolean isEmpty() {
        return categories.isEmpty() && brands.isEmpty();
    }
}
