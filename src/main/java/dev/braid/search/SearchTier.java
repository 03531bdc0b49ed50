package dev.braid.search;

/** How far down the degradation tiers an answer came from; reported as {@code degraded}. */
public enum SearchTier {
    /** Tier 1: the full query (personalized ranking, facets). */
    FULL(null),
    /** Tier 2: no personalization, no facets, a shorter timeout. */
    SIMPLIFIED("simplified"),
    /** Tier 3: a recent answer to the same query, or the popular items, without asking OpenSearch. */
    CACHED("cached");

    private final String degraded;

    SearchTier(String degraded) {
        this.degraded = degraded;
    }

    /** The envelope's {@code degraded} value: {@code null} for the full answer. */
    public String degraded() {
        return degraded;
    }
}
