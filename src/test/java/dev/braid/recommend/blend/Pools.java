package dev.braid.recommend.blend;

import java.math.BigDecimal;
import java.util.List;

import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.Embedding;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;

/** Small builders for blend tests. */
final class Pools {
    static final SourceId A = SourceId.of("a");
    static final SourceId B = SourceId.of("b");

    private Pools() {
    }

    static Candidate scored(String id, double score) {
        return new Candidate(id, score, null);
    }

    static Candidate unscored(String id) {
        return new Candidate(id, Double.NaN, null);
    }

    static Contribution contribution(SourceId source, double weight, Candidate... candidates) {
        return new Contribution(source, List.of(candidates), weight, Explanation.FOR_YOU);
    }

    /** A merged, not yet hydrated candidate. */
    static BlendCandidate bare(String id, double score) {
        return new BlendCandidate(id, score, List.of(A), List.of(new Evidence(A, Explanation.FOR_YOU, null, null)), null);
    }

    /** A hydrated, in-stock candidate. */
    static BlendCandidate item(String id, double score, String category, String brand) {
        return bare(id, score).withDetails(catalog(id, category, brand, true, null));
    }

    static CatalogItem catalog(String id, String category, String brand, boolean inStock, Embedding embedding) {
        return new CatalogItem(id, "title " + id, category, brand, BigDecimal.TEN, inStock, embedding);
    }

    static Embedding embedding(float... values) {
        return new Embedding(values);
    }
}
