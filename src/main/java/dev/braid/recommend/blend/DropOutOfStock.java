package dev.braid.recommend.blend;

import java.util.List;

/**
 * Drops items the catalog says are out of stock. Items without details are left to {@link DropUnknownItems}, so each
 * drop is counted under one reason.
 */
public record DropOutOfStock() implements CandidateFilter {

    @Override
    public String name() {
        return "out_of_stock";
    }

    @Override
    public FilterResult apply(List<BlendCandidate> candidates) {
        return FilterResult.split(candidates, candidate -> candidate.details() != null && !candidate.details().inStock());
    }
}
