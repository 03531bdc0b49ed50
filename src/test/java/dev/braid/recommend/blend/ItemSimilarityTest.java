package dev.braid.recommend.blend;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.catalog;
import static dev.braid.recommend.blend.Pools.embedding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ItemSimilarityTest {
    private final ItemSimilarity similarity = new ItemSimilarity();

    @Test
    void embeddingsCompareByCosine() {
        // (1, 0) · (1, 1) / (1 × √2) = 0.7071, although category and brand differ.
        assertThat(similarity.between(catalog("a", "shoes", "x", true, embedding(1, 0)),
                                      catalog("b", "bags", "y", true, embedding(1, 1))))
                .isCloseTo(0.7071067812, within(1e-9));
    }

    @Test
    void oppositeEmbeddingsAreClampedToZero() {
        assertThat(similarity.between(catalog("a", "shoes", "x", true, embedding(1, 0)),
                                      catalog("b", "shoes", "x", true, embedding(-1, 0)))).isZero();
    }

    @Test
    void withoutTwoComparableEmbeddingsCategoryAndBrandDecide() {
        assertThat(similarity.between(catalog("a", "shoes", "x", true, null), catalog("b", "shoes", "x", true, null)))
                .isCloseTo(1.0, within(1e-12));
        assertThat(similarity.between(catalog("a", "shoes", "x", true, null), catalog("b", "shoes", "y", true, null)))
                .isEqualTo(0.7);
        assertThat(similarity.between(catalog("a", "shoes", "x", true, null), catalog("b", "bags", "x", true, null)))
                .isEqualTo(0.3);
        assertThat(similarity.between(catalog("a", "shoes", "x", true, null), catalog("b", "bags", "y", true, null)))
                .isZero();
        // One embedding only, or two of different models: metadata again.
        assertThat(similarity.between(catalog("a", "shoes", "x", true, embedding(1, 0)),
                                      catalog("b", "shoes", "y", true, null))).isEqualTo(0.7);
        assertThat(similarity.between(catalog("a", "shoes", "x", true, embedding(1, 0)),
                                      catalog("b", "bags", "x", true, embedding(1, 0, 0)))).isEqualTo(0.3);
    }

    @Test
    void missingValuesMatchNothing() {
        assertThat(similarity.between(catalog("a", null, null, true, null), catalog("b", null, null, true, null))).isZero();
        assertThat(similarity.between(null, catalog("b", "shoes", "x", true, null))).isZero();
        assertThat(similarity.between(catalog("a", "shoes", "x", true, null), null)).isZero();
    }
}
