package dev.braid.recommend.blend;

import java.util.List;
import java.util.Set;

/** Drops the items the user already bought: they are never recommended to that user again. */
public record DropPurchased(Set<String> ids) implements CandidateFilter {

    public DropPurchased {
        ids = Set.copyOf(ids);
    }

    @Override
    public String name() {
        return "purchased";
    }

    @Override
    public FilterResult apply(List<BlendCandidate> candidates) {
        return FilterResult.split(candidates, candidate -> ids.contains(candidate.itemId()));
    }
}
