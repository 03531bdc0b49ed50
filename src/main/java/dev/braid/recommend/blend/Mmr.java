package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.braid.catalog.CatalogItem;

/**
 * Maximal marginal relevance: picks, one at a time, the candidate with the best
 * {@code λ·relevance − (1−λ)·(its highest similarity to anything already picked)}, so near-duplicates of what is on the
 * page sink. Relevance is the score over the pool's best score, in [0, 1], so λ means the same whatever the normalizer.
 * Each candidate's highest similarity so far is kept and updated with the newly picked item only: k picks over n
 * candidates cost k·n similarities, not k²·n. Ties go to the earlier (better-ranked) candidate. Items without details
 * are similar to nothing.
 */
public final class Mmr {
    private final double lambda;
    private final Similarity similarity;

    /**
     * @param lambda     1: pure relevance (the input order); 0: pure diversity
     * @param similarity how alike two items are
     */
    public Mmr(double lambda, Similarity similarity) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be between 0 and 1 (was " + lambda + ")");
        }
        this.lambda = lambda;
        this.similarity = Objects.requireNonNull(similarity, "similarity");
    }

    /** The {@code k} best candidates in MMR order; {@code ranked} is best first. */
    public List<BlendCandidate> select(List<BlendCandidate> ranked, int k) {
        int n = ranked.size();
        int picks = Math.min(Math.max(k, 0), n);
        if (lambda == 1) {
            // Diversity weighs nothing: the ranking as given, without computing a single similarity.
            return new ArrayList<>(ranked.subList(0, picks));
        }
        BlendCandidate[] pool = ranked.toArray(BlendCandidate[]::new);
        CatalogItem[] items = new CatalogItem[n];
        double best = 0;
        for (int i = 0; i < n; i++) {
            items[i] = pool[i].details();
            if (pool[i].score() > best) {
                best = pool[i].score();
            }
        }
        double[] relevance = new double[n];
        for (int i = 0; i < n; i++) {
            double share = pool[i].score() / best; // NaN when best is 0: no relevance to speak of
            relevance[i] = share > 0 ? Math.min(share, 1.0) : 0;
        }
        double[] closest = new double[n]; // each candidate's highest similarity to the picked ones
        boolean[] picked = new boolean[n];
        List<BlendCandidate> selected = new ArrayList<>(picks);
        for (int step = 0; step < picks; step++) {
            int choice = -1;
            double choiceValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (!picked[i]) {
                    double value = lambda * relevance[i] - (1 - lambda) * closest[i];
                    if (value > choiceValue) { // strict: a tie keeps the earlier candidate
                        choice = i;
                        choiceValue = value;
                    }
                }
            }
            picked[choice] = true;
            selected.add(pool[choice]);
            if (step + 1 < picks && items[choice] != null) {
                CatalogItem chosen = items[choice];
                for (int i = 0; i < n; i++) {
                    if (!picked[i] && items[i] != null) {
                        double alike = similarity.between(chosen, items[i]);
                        if (alike > closest[i]) {
                            closest[i] = alike;
                        }
                    }
                }
            }
        }
        return selected;
    }
}
