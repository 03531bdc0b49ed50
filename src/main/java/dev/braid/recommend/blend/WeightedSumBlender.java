package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SourceId;

/**
 * The first blend: each source's scores min-max normalized to [0, 1] (a source without scores is ranked 1/(1+rank)),
 * weighted, summed per item; duplicates merge and keep every source and reason. Excluded items are dropped.
 */
public final class WeightedSumBlender {

    /** One source's contribution: its candidates best first, its weight in the plan, the reason to show by default. */
    public record Contribution(SourceId source, List<Candidate> candidates, double weight, String defaultReason) {
        public Contribution {
            candidates = List.copyOf(candidates);
        }
    }

    private static final Comparator<Merged> BEST_FIRST =
            Comparator.comparingDouble(Merged::score).reversed().thenComparing(Merged::itemId);

    public List<RankedItem> blend(List<Contribution> contributions, Set<String> exclude, int n) {
        Map<String, Merged> merged = new LinkedHashMap<>();
        for (Contribution contribution : contributions) {
            double[] normalized = normalize(contribution.candidates());
            for (int i = 0; i < normalized.length; i++) {
                Candidate candidate = contribution.candidates().get(i);
                if (exclude.contains(candidate.itemId())) {
                    continue;
                }
                Merged item = merged.computeIfAbsent(candidate.itemId(), Merged::new);
                item.add(contribution.source(), contribution.weight() * normalized[i],
                         candidate.reason() != null ? candidate.reason() : contribution.defaultReason());
            }
        }
        return merged.values().stream()
                .sorted(BEST_FIRST)
                .limit(n)
                .map(Merged::toRankedItem)
                .toList();
    }

    static double[] normalize(List<Candidate> candidates) {
        int size = candidates.size();
        double[] normalized = new double[size];
        boolean allScored = candidates.stream().allMatch(Candidate::scored);
        if (!allScored) {
            for (int i = 0; i < size; i++) {
                normalized[i] = 1.0 / (1 + i);
            }
            return normalized;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Candidate candidate : candidates) {
            min = Math.min(min, candidate.score());
            max = Math.max(max, candidate.score());
        }
        double range = max - min;
        for (int i = 0; i < size; i++) {
            // All equal: nothing tells them apart, so each counts fully.
            normalized[i] = range == 0 ? 1.0 : (candidates.get(i).score() - min) / range;
        }
        return normalized;
    }

    private static final class Merged {
        private final String itemId;
        private final Set<SourceId> sources = new LinkedHashSet<>();
        private final Set<String> reasons = new LinkedHashSet<>();
        private double score;

        Merged(String itemId) {
            this.itemId = itemId;
        }

        void add(SourceId source, double weightedScore, String reason) {
            if (sources.add(source)) {
                score += weightedScore;
            }
            if (reason != null) {
                reasons.add(reason);
            }
        }

        String itemId() {
            return itemId;
        }

        double score() {
            return score;
        }

        RankedItem toRankedItem() {
            return new RankedItem(itemId, score, new ArrayList<>(sources), new ArrayList<>(reasons));
        }
    }
}
