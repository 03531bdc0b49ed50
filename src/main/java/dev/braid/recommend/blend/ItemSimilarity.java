package dev.braid.recommend.blend;

import java.util.Objects;

import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.Embedding;

/**
 * The default similarity: the cosine of the two items' embeddings when both have one of the same model (negative cosines
 * count as 0: opposite is not "more diverse than unrelated" for a list), else metadata overlap — {@value SAME_CATEGORY}
 * for the same category plus {@value SAME_BRAND} for the same brand. Category weighs more because a page of one category
 * looks repetitive whatever the brands, while one brand across categories (a shoe, a jacket, a bag) does not. Unknown
 * (null) details: 0.
 */
public final class ItemSimilarity implements Similarity {
    public static final double SAME_CATEGORY = 0.7;
    public static final double SAME_BRAND = 0.3;

    @Override
    public double between(CatalogItem a, CatalogItem b) {
        if (a == null || b == null) {
            return 0;
        }
        Embedding x = a.embedding();
        Embedding y = b.embedding();
        if (x != null && y != null && x.dimensions() == y.dimensions()) {
            return Math.clamp(x.cosine(y), 0.0, 1.0);
        }
        double similarity = 0;
        if (a.category() != null && Objects.equals(a.category(), b.category())) {
            similarity += SAME_CATEGORY;
        }
        if (a.brand() != null && Objects.equals(a.brand(), b.brand())) {
            similarity += SAME_BRAND;
        }
        return similarity;
    }
}
