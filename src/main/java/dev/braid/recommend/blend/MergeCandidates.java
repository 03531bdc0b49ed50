package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.SourceId;

/**
 * Merges several sources' candidates into one pool: each source normalized and weighted, ids mapped to the catalog's,
 * duplicates merged and their scores summed, then a bonus for items several sources agree on:
 * {@code score × (1 + corroboration × (sources − 1))}. The bonus is multiplicative so that it scales with the item's
 * own strength instead of lifting a weak item found twice above a strong one by a fixed amount.
 */
public final class MergeCandidates {
    private static final Comparator<BlendCandidate> BEST_FIRST =
            Comparator.comparingDouble(BlendCandidate::score).reversed().thenComparing(BlendCandidate::itemId);

    /**
     * The merged pool, best first (ties by item id). A source that lists an item twice (also under two ids that map to
     * the same catalog id) counts once, at its best rank. Sources and evidence are kept in contribution order.
     *
     * @throws IllegalArgumentException when a source contributes twice, or corroboration is negative or not finite
     */
    public List<BlendCandidate> merge(List<Contribution> contributions, Normalizer normalizer, double corroboration) {
        if (!(corroboration >= 0) || !Double.isFinite(corroboration)) {
            throw new IllegalArgumentException("corroboration must be a finite number >= 0 (was " + corroboration + ")");
        }
        Set<SourceId> seen = new HashSet<>();
        int expected = 0;
        for (Contribution contribution : contributions) {
            if (!seen.add(contribution.source())) {
                throw new IllegalArgumentException("source " + contribution.source() + " contributes twice");
            }
            expected += contribution.candidates().size();
        }
        Map<String, Merged> merged = HashMap.newHashMap(expected);
        List<Merged> order = new ArrayList<>(expected);
        for (int c = 0; c < contributions.size(); c++) {
            Contribution contribution = contributions.get(c);
            List<Candidate> candidates = contribution.candidates();
            double[] normalized = normalizer.normalize(candidates);
            for (int i = 0; i < normalized.length; i++) {
                Candidate candidate = candidates.get(i);
                String id = contribution.canonicalId().apply(candidate.itemId());
                if (id == null || id.isBlank()) {
                    continue;
                }
                Merged item = merged.get(id);
                if (item == null) {
                    item = new Merged(id);
                    merged.put(id, item);
                    order.add(item);
                } else if (item.lastContribution == c) {
                    continue; // listed again by the same source: its earlier (better) rank already counted
                }
                item.lastContribution = c;
                item.score += contribution.weight() * normalized[i];
                item.sources.add(contribution.source());
                item.evidence.add(new Evidence(contribution.source(), contribution.explanation(), candidate.reason(),
                                               candidate.anchor()));
            }
        }
        List<BlendCandidate> pool = new ArrayList<>(order.size());
        for (Merged item : order) {
            double bonus = 1 + corroboration * (item.sources.size() - 1);
            pool.add(new BlendCandidate(item.itemId, item.score * bonus, item.sources, item.evidence, null));
        }
        pool.sort(BEST_FIRST);
        return pool;
    }

    private static final class Merged {
        final String itemId;
        final List<SourceId> sources = new ArrayList<>(2);
        final List<Evidence> evidence = new ArrayList<>(2);
        double score;
        int lastContribution = -1;

        Merged(String itemId) {
            this.itemId = itemId;
        }
    }
}
