package dev.braid.recommend.blend;

import java.util.List;
import java.util.Set;

/** Drops the items the caller excluded ({@code ?exclude=}), by catalog id. */
public record DropExcluded(Set<String> ids) implements CandidateFilter {

    public DropExcluded {
        ids = Set.copyOf(ids);
    }

    @Override
    public String name() {
        return "excluded";
    }

    @Override
    public FilterResult apply(List<BlendCandidate> candidates) {
        return FilterResult.split(candidates, candidate -> ids.contains(candidate.itemId()));
    }
}
