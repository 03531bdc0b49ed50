package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.recommend.Candidate;

/**
 * Z-score normalization: {@code z = (score - mean) / sd} with the population standard deviation, then mapped to (0, 1)
 * by the logistic function {@code 1 / (1 + e^-z)}. Raw z-scores are negative for half the list, which would let a
 * source's weight push items down rather than up; the logistic keeps the order, is 0.5 at the mean and stays
 * non-negative. A single candidate or all-equal scores have z = 0, so 0.5 each. A source without scores is normalized by
 * rank.
 */
public record ZScore() implements Normalizer {

    @Override
    public double[] normalize(List<Candidate> ranked) {
        double[] values = Normalizer.scoresOrRanks(ranked);
        int size = values.length;
        if (size == 0) {
            return values;
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        double mean = sum / size;
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        double sd = Math.sqrt(squares / size);
        for (int i = 0; i < size; i++) {
            double z = sd == 0 ? 0 : (values[i] - mean) / sd;
            values[i] = 1.0 / (1.0 + Math.exp(-z));
        }
        return values;
    }
}
