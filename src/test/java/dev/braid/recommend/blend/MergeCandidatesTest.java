package dev.braid.recommend.blend;

import java.util.List;
import java.util.function.UnaryOperator;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.Explanation;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.A;
import static dev.braid.recommend.blend.Pools.B;
import static dev.braid.recommend.blend.Pools.contribution;
import static dev.braid.recommend.blend.Pools.scored;
import static dev.braid.recommend.blend.Pools.unscored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MergeCandidatesTest {
    private final MergeCandidates merge = new MergeCandidates();

    // a (weight 1): x 10, y 6, q 0 → min-max 1, 0.6, 0. b (weight 0.3): y 5, r 1 → 1, 0 → weighted 0.3, 0.
    // Without a bonus y = 0.6 + 0.3 = 0.9 loses to x = 1.0; with corroboration 0.2, y = 0.9 × (1 + 0.2 × 1) = 1.08 wins.
    private final List<Contribution> agreeing = List.of(
            contribution(A, 1.0, scored("x", 10), scored("y", 6), scored("q", 0)),
            contribution(B, 0.3, scored("y", 5), scored("r", 1)));

    @Test
    void anItemTwoSourcesAgreeOnOutranksAStrongerSingleSourceItem() {
        List<BlendCandidate> pool = merge.merge(agreeing, new MinMax(), 0.2);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("y", "x", "q", "r");
        assertThat(pool.get(0).score()).isCloseTo(1.08, within(1e-12));
        assertThat(pool.get(1).score()).isCloseTo(1.0, within(1e-12));
        assertThat(pool.get(0).sources()).containsExactly(A, B);
        assertThat(pool.get(1).sources()).containsExactly(A);
    }

    @Test
    void withoutTheBonusTheSumAloneDecides() {
        List<BlendCandidate> pool = merge.merge(agreeing, new MinMax(), 0);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("x", "y", "q", "r");
        assertThat(pool.get(1).score()).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void theBonusGrowsWithEachSource() {
        // rrf k = 1, all three rank z first: 1/2 each, weight 1 → 1.5; × (1 + 0.5 × 2) = 3.0.
        List<BlendCandidate> pool = merge.merge(List.of(
                contribution(A, 1, scored("z", 1)), contribution(B, 1, scored("z", 1)),
                contribution(dev.braid.recommend.SourceId.of("c"), 1, scored("z", 1))), new Rrf(1), 0.5);

        assertThat(pool).singleElement().satisfies(z -> assertThat(z.score()).isCloseTo(3.0, within(1e-12)));
    }

    @Test
    void canonicalIdsMergeASourcesSkusWithCatalogIds() {
        UnaryOperator<String> stripSku = id -> id.startsWith("sku-") ? id.substring(4) : id;
        // rrf k = 1: a ranks sku-1 first (1/2), sku-2 second (1/3); b ranks 1 first (1/2).
        // "1" = (1/2 + 1/2) × (1 + 0.2) = 1.2; "2" = 1/3.
        List<BlendCandidate> pool = merge.merge(List.of(
                new Contribution(A, List.of(scored("sku-1", 9), scored("sku-2", 8)), 1, Explanation.SIMILAR, stripSku),
                contribution(B, 1, scored("1", 0.5))), new Rrf(1), 0.2);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("1", "2");
        assertThat(pool.get(0).sources()).containsExactly(A, B);
        assertThat(pool.get(0).score()).isCloseTo(1.2, within(1e-12));
        assertThat(pool.get(1).score()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void aSourceListingAnItemTwiceCountsItOnceAtItsBestRank() {
        UnaryOperator<String> stripSku = id -> id.startsWith("sku-") ? id.substring(4) : id;
        // rrf k = 1 on the list as given: sku-1 1/2, 1 1/3 (same item: ignored), 2 1/4.
        List<BlendCandidate> pool = merge.merge(List.of(new Contribution(
                A, List.of(new Candidate("sku-1", 3, "first"), new Candidate("1", 2, "again"), scored("2", 1)), 1,
                Explanation.FOR_YOU, stripSku)), new Rrf(1), 0.2);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("1", "2");
        assertThat(pool.get(0).score()).isCloseTo(0.5, within(1e-12));
        assertThat(pool.get(0).sources()).containsExactly(A);
        assertThat(pool.get(0).evidence()).extracting(Evidence::stated).containsExactly("first");
        assertThat(pool.get(1).score()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void evidenceKeepsEachSourcesWordsInContributionOrder() {
        List<BlendCandidate> pool = merge.merge(List.of(
                new Contribution(B, List.of(new Candidate("x", 1, "summer sale", null)), 1, Explanation.EDITORIAL),
                new Contribution(A, List.of(new Candidate("x", 1, null, "i7")), 1, Explanation.SIMILAR)),
                new MinMax(), 0.2);

        assertThat(pool.getFirst().sources()).containsExactly(B, A);
        assertThat(pool.getFirst().evidence()).containsExactly(
                new Evidence(B, Explanation.EDITORIAL, "summer sale", null),
                new Evidence(A, Explanation.SIMILAR, null, "i7"));
        assertThat(pool.getFirst().details()).isNull();
    }

    @Test
    void weightsScaleEachSource() {
        // rrf k = 1: a's x 1/2 × 2 = 1; b's y 1/2 × 0.5 = 0.25.
        List<BlendCandidate> pool = merge.merge(List.of(contribution(A, 2, scored("x", 1)),
                                                        contribution(B, 0.5, scored("y", 1))), new Rrf(1), 0.2);

        assertThat(pool).extracting(BlendCandidate::score).containsExactly(1.0, 0.25);
    }

    @Test
    void aRankOnlySourceBlendsWithAScoredOne() {
        // a scored: x 2, y 1 → 1, 0. b rank-only: y, z → ranks 2, 1 → 1, 0.
        // y = (0 + 1) × 1.2 = 1.2; x = 1; z = 0.
        List<BlendCandidate> pool = merge.merge(List.of(contribution(A, 1, scored("x", 2), scored("y", 1)),
                                                        contribution(B, 1, unscored("y"), unscored("z"))),
                                                new MinMax(), 0.2);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("y", "x", "z");
        assertThat(pool.getFirst().score()).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void tiesAreOrderedByItemId() {
        List<BlendCandidate> pool = merge.merge(List.of(contribution(A, 1, scored("m", 1)),
                                                        contribution(B, 1, scored("c", 1))), new Rrf(1), 0.2);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("c", "m");
    }

    @Test
    void idsTheMappingDoesNotKnowAreDropped() {
        List<BlendCandidate> pool = merge.merge(List.of(new Contribution(
                A, List.of(scored("bad", 2), scored("ok", 1)), 1, Explanation.FOR_YOU,
                id -> id.equals("bad") ? null : id)), new Rrf(1), 0.2);

        assertThat(pool).extracting(BlendCandidate::itemId).containsExactly("ok");
        assertThat(pool.getFirst().score()).isCloseTo(1.0 / 3, within(1e-12)); // it kept its rank 2
    }

    @Test
    void rejectsASourceContributingTwiceAndANegativeBonus() {
        assertThatThrownBy(() -> merge.merge(List.of(contribution(A, 1, scored("x", 1)),
                                                     contribution(A, 1, scored("y", 1))), new Rrf(1), 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> merge.merge(List.of(), new Rrf(1), -0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(merge.merge(List.of(), new Rrf(1), 0.2)).isEmpty();
    }
}
