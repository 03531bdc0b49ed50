package dev.braid.recommend.blend;

import java.util.List;

/** Drops items the catalog could not hydrate: without a title or stock state there is nothing safe to show. */
public record DropUnknownItems() implements CandidateFilter {

    @Override
    public String name() {
        return "missing_metadata";
    }

    @Override
    public FilterResult apply(List<BlendCandidate> candidates) {
        return FilterResult.split(candidates, candidate -> candidate.details() == null);
    }
}
