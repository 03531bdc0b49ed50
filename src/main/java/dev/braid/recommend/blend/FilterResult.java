package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What a filter kept and what it removed, both in input order, so drops can be counted and explained. */
public record FilterResult(List<BlendCandidate> kept, List<BlendCandidate> removed) {

    public FilterResult {
        kept = List.copyOf(kept);
        removed = List.copyOf(removed);
    }

    /** Splits {@code candidates} by {@code remove}, keeping the order of each part. */
    public static FilterResult split(List<BlendCandidate> candidates, Predicate<BlendCandidate> remove) {
        List<BlendCandidate> kept = new ArrayList<>(candidates.size());
        List<BlendCandidate> removed = new ArrayList<>();
        for (BlendCandidate candidate : candidates) {
            (remove.test(candidate) ? removed : kept).add(candidate);
        }
        return new FilterResult(kept, removed);
    }
}
