package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.recommend.Candidate;

/**
 * Min-max normalization: {@code (score - min) / (max - min)}, so each source spans [0, 1]. When all scores are equal
 * nothing tells the candidates apart, so each counts fully (1.0). A source without scores is normalized by rank.
 */
public record MinMax() implements Normalizer {

    @Override
    public double[] normalize(List<Candidate> ranked) {
        double[] values = Normalizer.scoresOrRanks(ranked);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        double range = max - min;
        for (int i = 0; i < values.length; i++) {
            values[i] = range == 0 ? 1.0 : (values[i] - min) / range;
        }
        return values;
    }
}
