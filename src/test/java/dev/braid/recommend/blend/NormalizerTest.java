package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.config.Rule;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.Normalization;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.scored;
import static dev.braid.recommend.blend.Pools.unscored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NormalizerTest {

    @Test
    void minMaxSpansZeroToOne() {
        // 30, 20, 10: min 10, range 20 → 1, 0.5, 0.
        assertThat(new MinMax().normalize(List.of(scored("x", 30), scored("y", 20), scored("z", 10))))
                .containsExactly(new double[] {1.0, 0.5, 0.0}, within(1e-12));
    }

    @Test
    void minMaxOfEqualScoresCountsEachFully() {
        assertThat(new MinMax().normalize(List.of(scored("x", 5), scored("y", 5)))).containsExactly(1.0, 1.0);
        assertThat(new MinMax().normalize(List.of(scored("x", 0.3)))).containsExactly(1.0);
    }

    @Test
    void minMaxOfARankOnlySourceUsesRanks() {
        // No scores: ranks as scores 4, 3, 2, 1 → (v − 1) / 3 = 1, 2/3, 1/3, 0.
        assertThat(new MinMax().normalize(List.of(unscored("p"), unscored("q"), unscored("r"), unscored("s"))))
                .containsExactly(new double[] {1.0, 2.0 / 3, 1.0 / 3, 0.0}, within(1e-12));
    }

    @Test
    void oneMissingScoreMakesTheWholeSourceRankOnly() {
        // 0.9 then NaN then 100: mixing scored and unscored would be meaningless, so ranks 3, 2, 1 → 1, 0.5, 0.
        assertThat(new MinMax().normalize(List.of(scored("p", 0.9), unscored("q"), scored("r", 100))))
                .containsExactly(new double[] {1.0, 0.5, 0.0}, within(1e-12));
    }

    @Test
    void zScoreIsMappedThroughTheLogistic() {
        // 3, 2, 1: mean 2, population variance (1 + 0 + 1) / 3 = 2/3, sd 0.8165; z = ±√1.5 = ±1.2247, 0.
        // Logistic 1 / (1 + e^-z): 0.772897, 0.5, 0.227103.
        assertThat(new ZScore().normalize(List.of(scored("x", 3), scored("y", 2), scored("z", 1))))
                .containsExactly(new double[] {0.7728974806, 0.5, 0.2271025194}, within(1e-9));
    }

    @Test
    void zScoreOfOneOrOfEqualScoresIsTheMidpoint() {
        // z = 0 each → logistic 0.5.
        assertThat(new ZScore().normalize(List.of(scored("x", 7)))).containsExactly(0.5);
        assertThat(new ZScore().normalize(List.of(scored("x", 2), scored("y", 2), scored("z", 2))))
                .containsExactly(0.5, 0.5, 0.5);
        assertThat(new ZScore().normalize(List.of())).isEmpty();
    }

    @Test
    void zScoreOfARankOnlySourceUsesRanks() {
        // Ranks 3, 2, 1: the same numbers as the scored case above.
        assertThat(new ZScore().normalize(List.of(unscored("x"), unscored("y"), unscored("z"))))
                .containsExactly(new double[] {0.7728974806, 0.5, 0.2271025194}, within(1e-9));
    }

    @Test
    void zScoreStaysNonNegativeForNegativeScores() {
        double[] normalized = new ZScore().normalize(List.of(scored("x", -1), scored("y", -50), scored("z", -300)));
        assertThat(normalized[2]).isGreaterThan(0.0);
        assertThat(normalized[0]).isLessThan(1.0).isGreaterThan(normalized[1]);
        assertThat(normalized[1]).isGreaterThan(normalized[2]);
    }

    @Test
    void rrfUsesRankOnly() {
        // k = 60: 1/61, 1/62, 1/63, whatever the scores say.
        List<Candidate> ranked = List.of(scored("x", 0.1), scored("y", 100), unscored("z"));
        assertThat(new Rrf(60).normalize(ranked)).containsExactly(1.0 / 61, 1.0 / 62, 1.0 / 63);
        // k = 1: 1/2, 1/3.
        assertThat(new Rrf(1).normalize(List.of(scored("x", 1), scored("y", 1)))).containsExactly(0.5, 1.0 / 3);
    }

    @Test
    void rrfNeedsAPositiveK() {
        assertThatThrownBy(() -> new Rrf(0)).isInstanceOf(Rule.BrokenRule.class).hasMessageContaining("at least 1");
    }

    @Test
    void namedNormalizers() {
        assertThat(Normalizer.of(Normalization.of("min-max", 60))).isEqualTo(new MinMax());
        assertThat(Normalizer.of(Normalization.of("z-score", 60))).isEqualTo(new ZScore());
        assertThat(Normalizer.of(Normalization.of("rrf", 10))).isEqualTo(new Rrf(10));
        assertThatThrownBy(() -> Normalization.of("softmax", 60)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax").hasMessageContaining("min-max, z-score, rrf");
    }
}
