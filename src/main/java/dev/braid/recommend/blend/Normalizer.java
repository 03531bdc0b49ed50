package dev.braid.recommend.blend;

import java.util.List;

import dev.braid.recommend.Candidate;

/**
 * Puts one source's candidates on a common, non-negative scale so that sources with different score ranges can be
 * weighted and summed. Higher is better; the input is best first.
 */
public sealed interface Normalizer permits MinMax, ZScore, Rrf {

    /** The normalized score of each candidate, in input order. */
    double[] normalize(List<Candidate> ranked);

    /** The name in configuration ({@code normalization}). */
    String wireName();

    /**
     * The normalizer named {@code min-max}, {@code z-score} or {@code rrf}; {@code rrfK} is used by {@code rrf} only.
     *
     * @throws IllegalArgumentException for any other name
     */
    static Normalizer of(String name, int rrfK) {
        return switch (name == null ? "" : name.trim()) {
            case "min-max" -> new MinMax();
            case "z-score" -> new ZScore();
            case "rrf" -> new Rrf(rrfK);
            default -> throw new IllegalArgumentException("unknown normalization '" + name + "'; known: min-max, z-score, rrf");
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
