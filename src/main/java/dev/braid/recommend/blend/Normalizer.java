package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.Normalization;

/**
 * Puts one source's candidates on a common, non-negative scale so that sources with different score ranges can be
 * weighted and summed. Higher is better; the input is best first.
 */
public sealed interface Normalizer permits MinMax, ZScore, Rrf {

    /** The normalized score of each candidate, in input order. */
    double[] normalize(List<Candidate> ranked);

    /** The normalizer a surface's setting asks for. */
    static Normalizer of(Normalization setting) {
        return switch (setting.method()) {
            case MIN_MAX -> new MinMax();
            case Z_SCORE -> new ZScore();
            case RRF -> new Rrf(setting.rrfK());
        };
    }

    /**
     * The source's scores, or, when any is missing (a source that only ranks) or not finite, its ranks as scores:
     * {@code size - index}, so the first gets the highest.
     */
    static double[] scoresOrRanks(List<Candidate> ranked) {
        int size = ranked.size();
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            double score = ranked.get(i).score();
            if (!Double.isFinite(score)) {
                for (int j = 0; j < size; j++) {
                    values[j] = size - j;
                }
                return values;
            }
            values[i] = score;
        }
        return values;
    }
}
