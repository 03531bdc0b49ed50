package dev.braid.recommend.blend;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.catalog.CatalogItem;
import dev.braid.recommend.BlendSettings;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.Normalization;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.A;
import static dev.braid.recommend.blend.Pools.B;
import static dev.braid.recommend.blend.Pools.bare;
import static dev.braid.recommend.blend.Pools.catalog;
import static dev.braid.recommend.blend.Pools.contribution;
import static dev.braid.recommend.blend.Pools.item;
import static dev.braid.recommend.blend.Pools.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BlenderTest {
    private final Blender blender = new Blender();

    @Test
    void filtersInOrderThenDiversifiesThenCaps() {
        List<BlendCandidate> pool = List.of(
                item("shoe1", 1.0, "shoes", "acme"), item("shoe2", 0.95, "shoes", "acme"),
                item("bought", 0.93, "hats", "acme"), bare("ghost", 0.92),
                bare("sold-out", 0.91).withDetails(catalog("sold-out", "hats", "acme", false, null)),
                item("shoe3", 0.9, "shoes", "acme"), item("bag", 0.6, "bags", "zed"), item("coat", 0.1, "coats", "zed"));
        List<CandidateFilter> rules = List.of(new DropPurchased(Set.of("bought", "coat")), new DropUnknownItems(),
                                              new DropOutOfStock());
        // λ = 0.7 on shoe1 shoe2 shoe3 bag gives shoe1 bag shoe2 shoe3 (see MmrTest); list size 3 keeps shoe1 bag shoe2;
        // a cap of 1 shoe per 2 positions then has nothing to move.
        BlendSettings settings = new BlendSettings(Normalization.DEFAULT, 0.2, 0.7, 1, 2, 3);

        Blender.BlendResult kept = blender.filter(pool, rules);

        assertThat(blender.diversify(kept.list(), settings)).extracting(BlendCandidate::itemId)
                .containsExactly("shoe1", "bag", "shoe2");
        assertThat(kept.dropped()).containsExactly(Map.entry("purchased", 2), Map.entry("missing_metadata", 1),
                                                   Map.entry("out_of_stock", 1));
    }

    @Test
    void theCapReordersWhatMmrLeft() {
        // λ = 1 keeps shoe1 shoe2 bag; a cap of 1 shoe per 2 positions moves shoe2 below the bag.
        List<BlendCandidate> pool = List.of(item("shoe1", 1.0, "shoes", "acme"), item("shoe2", 0.9, "shoes", "zed"),
                                            item("bag", 0.5, "bags", "acme"));
        BlendSettings settings = new BlendSettings(Normalization.DEFAULT, 0.2, 1.0, 1, 2, 10);

        Blender.BlendResult kept = blender.filter(pool, List.of(new DropOutOfStock()));

        assertThat(blender.diversify(kept.list(), settings)).extracting(BlendCandidate::itemId)
                .containsExactly("shoe1", "bag", "shoe2");
        assertThat(kept.dropped()).containsExactly(Map.entry("out_of_stock", 0));
    }

    @Test
    void mergeUsesTheSettingsNormalizerAndBonus() {
        // rrf k = 1: x = (1/2 + 1/2) × (1 + 0.5) = 1.5.
        List<BlendCandidate> pool = blender.merge(List.of(contribution(A, 1, scored("x", 1)),
                                                          contribution(B, 1, scored("x", 9))),
                                                  new BlendSettings(new Normalization(Normalization.Method.RRF, 1), 0.5, 0.7, 3, 10, 100));

        assertThat(pool).singleElement().satisfies(x -> assertThat(x.score()).isCloseTo(1.5, within(1e-12)));
        assertThat(pool.getFirst().evidence()).extracting(Evidence::explanation)
                .containsExactly(Explanation.FOR_YOU, Explanation.FOR_YOU);
    }

    @Test
    void intraListDiversityIsOneMinusTheMeanPairwiseSimilarity() {
        // Pairs: shoe1–shoe2 1.0 (category + brand), shoe1–bag 0.3 (brand), shoe2–bag 0.3 → mean 1.6 / 3; 1 − 0.5333.
        List<CatalogItem> list = details(item("shoe1", 1, "shoes", "acme"), item("shoe2", 1, "shoes", "acme"),
                                         item("bag", 1, "bags", "acme"));

        assertThat(Blender.intraListDiversity(list, new ItemSimilarity())).isCloseTo(1 - 1.6 / 3, within(1e-12));
        assertThat(Blender.intraListDiversity(list.subList(0, 1), new ItemSimilarity())).isZero();
        assertThat(Blender.intraListDiversity(List.of(), new ItemSimilarity())).isZero();
        // Unrelated items: nothing alike → 1.
        assertThat(Blender.intraListDiversity(details(item("a", 1, "x", "p"), item("b", 1, "y", "q")),
                                              new ItemSimilarity())).isEqualTo(1.0);
    }

    private static List<CatalogItem> details(BlendCandidate... candidates) {
        return java.util.Arrays.stream(candidates).map(BlendCandidate::details).toList();
    }
}
