package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.config.Rule;
import dev.braid.recommend.Candidate;

/**
 * Reciprocal rank fusion: {@code 1 / (k + rank)}, rank from 1. Uses positions only, so sources whose scores mean
 * different things (probabilities, counts, distances) blend without calibration; a larger {@code k} flattens the
 * difference between the top and the tail.
 *
 * @param k the smoothing constant, at least 1 (60 in the RRF paper)
 */
public record Rrf(int k) implements Normalizer {
    public Rrf {
        Rule.atLeast("rrf-k", k, 1);
    }

    @Override
    public double[] normalize(List<Candidate> ranked) {
        double[] values = new double[ranked.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1.0 / (k + i + 1);
        }
        return values;
    }
}
