package dev.braid.recommend.blend;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.bare;
import static dev.braid.recommend.blend.Pools.item;
import static org.assertj.core.api.Assertions.assertThat;

class MmrTest {
    // Three near-identical shoes (same category and brand: similarity 1.0) and a bag (similarity 0 to each).
    private final BlendCandidate shoe1 = item("shoe1", 1.0, "shoes", "acme");
    private final BlendCandidate shoe2 = item("shoe2", 0.95, "shoes", "acme");
    private final BlendCandidate shoe3 = item("shoe3", 0.9, "shoes", "acme");
    private final BlendCandidate bag = item("bag", 0.6, "bags", "zed");
    private final List<BlendCandidate> ranked = List.of(shoe1, shoe2, shoe3, bag);

    @Test
    void theBagMovesUpPastTheNearDuplicates() {
        // λ = 0.7. Pick 1: 0.7 × relevance → shoe1 (0.7). Closest: shoes 1.0, bag 0.
        // Pick 2: shoe2 0.7 × 0.95 − 0.3 × 1 = 0.365; shoe3 0.63 − 0.3 = 0.33; bag 0.7 × 0.6 = 0.42 → bag.
        // Pick 3: shoe2 0.365 > shoe3 0.33 → shoe2; then shoe3.
        assertThat(new Mmr(0.7, new ItemSimilarity()).select(ranked, 4)).containsExactly(shoe1, bag, shoe2, shoe3);
        assertThat(new Mmr(0.7, new ItemSimilarity()).select(ranked, 2)).containsExactly(shoe1, bag);
    }

    @Test
    void withMoreWeightOnRelevanceTheShoesStayAhead() {
        // λ = 0.9, pick 2: shoe2 0.9 × 0.95 − 0.1 = 0.755; bag 0.9 × 0.6 = 0.54 → shoe2; pick 3: shoe3 0.71 > 0.54.
        assertThat(new Mmr(0.9, new ItemSimilarity()).select(ranked, 4)).containsExactly(shoe1, shoe2, shoe3, bag);
    }

    @Test
    void lambdaOneKeepsThePureRelevanceOrderWithoutComparingItems() {
        Similarity never = (a, b) -> {
            throw new AssertionError("λ = 1 must not compute similarities");
        };
        assertThat(new Mmr(1.0, never).select(ranked, 4)).containsExactly(shoe1, shoe2, shoe3, bag);
        assertThat(new Mmr(1.0, never).select(ranked, 10)).containsExactly(shoe1, shoe2, shoe3, bag);
        assertThat(new Mmr(1.0, never).select(ranked, 1)).containsExactly(shoe1);
    }

    @Test
    void tiesGoToTheEarlierCandidate() {
        // Equal scores, unrelated items: input order, not id order.
        BlendCandidate z = item("z", 0.5, "a", "a");
        BlendCandidate y = item("y", 0.5, "b", "b");
        BlendCandidate x = item("x", 0.5, "c", "c");
        assertThat(new Mmr(0.5, new ItemSimilarity()).select(List.of(z, y, x), 3)).containsExactly(z, y, x);
        // λ = 0: relevance weighs nothing; shoe1 wins the all-zero first pick by position, then the bag (0 > −1).
        assertThat(new Mmr(0.0, new ItemSimilarity()).select(ranked, 2)).containsExactly(shoe1, bag);
    }

    @Test
    void comparesEachCandidateOnlyWithTheNewlyPickedOne() {
        AtomicInteger calls = new AtomicInteger();
        Similarity counting = (a, b) -> {
            calls.incrementAndGet();
            return 0;
        };
        List<BlendCandidate> ten = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> item("i" + i, 1.0 - i / 10.0, "c", "b")).toList();

        new Mmr(0.5, counting).select(ten, 3);

        // After pick 1: 9 remaining compared; after pick 2: 8; after the last pick nothing: 17 ≤ k·n = 30.
        assertThat(calls).hasValue(17);
    }

    @Test
    void unhydratedItemsAreSimilarToNothingAndZeroScoresStillSelect() {
        BlendCandidate unknown = bare("unknown", 0);
        BlendCandidate other = bare("other", 0);
        assertThat(new Mmr(0.7, new ItemSimilarity()).select(List.of(unknown, other), 5)).containsExactly(unknown, other);
        assertThat(new Mmr(0.7, new ItemSimilarity()).select(List.of(), 5)).isEmpty();
        assertThat(new Mmr(0.7, new ItemSimilarity()).select(ranked, 0)).isEmpty();
    }
}
