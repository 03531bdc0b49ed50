package dev.braid.recommend.blend;

import java.util.List;
import java.util.Set;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.blend.WeightedSumBlender.Contribution;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightedSumBlenderTest {
    private static final SourceId A = SourceId.of("a");
    private static final SourceId B = SourceId.of("b");
    private final WeightedSumBlender blender = new WeightedSumBlender();

    @Test
    void minMaxNormalizesEachSourceBeforeWeighting() {
        // a's scores 10..30 → 0, 0.5, 1; b's 0.2..0.4 → 0, 1. Weights 1 and 2.
        List<RankedItem> items = blender.blend(List.of(
                contribution(A, 1.0, scored("x", 30), scored("y", 20), scored("z", 10)),
                contribution(B, 2.0, scored("z", 0.4), scored("w", 0.2))), Set.of(), 10);

        assertThat(items).extracting(RankedItem::itemId).containsExactly("z", "x", "y", "w");
        assertThat(items.get(0).score()).isCloseTo(2.0, within(1e-9));
        assertThat(items.get(1).score()).isCloseTo(1.0, within(1e-9));
        assertThat(items.get(2).score()).isCloseTo(0.5, within(1e-9));
        assertThat(items.get(3).score()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void duplicatesMergeAndKeepEverySourceAndReason() {
        List<RankedItem> items = blender.blend(List.of(
                contribution(A, 1.0, new Candidate("x", 5, "trending in Shoes"), scored("y", 1)),
                contribution(B, 1.0, scored("x", 3), scored("q", 1))), Set.of(), 10);

        RankedItem x = items.getFirst();
        assertThat(x.itemId()).isEqualTo("x");
        assertThat(x.sources()).containsExactly(A, B);
        assertThat(x.reasons()).containsExactly("trending in Shoes", "b");
        assertThat(items).extracting(RankedItem::itemId).doesNotHaveDuplicates();
    }

    @Test
    void aSourceWithoutScoresIsRankedByPosition() {
        List<RankedItem> items = blender.blend(List.of(contribution(A, 1.0, unscored("p"), unscored("q"), unscored("r"))),
                                               Set.of(), 10);
        assertThat(items).extracting(RankedItem::score).containsExactly(1.0, 0.5, 1.0 / 3);
    }

    @Test
    void excludedItemsNeverAppearAndTheListIsCut() {
        List<RankedItem> items = blender.blend(List.of(
                contribution(A, 1.0, scored("x", 3), scored("y", 2), scored("z", 1), scored("w", 0))), Set.of("y"), 2);
        assertThat(items).extracting(RankedItem::itemId).containsExactly("x", "z");
    }

    @Test
    void equalScoresCountFullyAndTiesBreakByItemId() {
        List<RankedItem> items = blender.blend(List.of(contribution(A, 1.0, scored("m", 7), scored("k", 7))), Set.of(), 10);
        assertThat(items).extracting(RankedItem::itemId).containsExactly("k", "m");
        assertThat(items).extracting(RankedItem::score).containsOnly(1.0);
    }

    private static Contribution contribution(SourceId source, double weight, Candidate... candidates) {
        return new Contribution(source, List.of(candidates), weight, source.name());
    }

    private static Candidate scored(String id, double score) {
        return new Candidate(id, score, null);
    }

    private static Candidate unscored(String id) {
        return new Candidate(id, Double.NaN, null);
    }
}
