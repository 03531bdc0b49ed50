package dev.braid.recommend.blend;

import java.util.List;

/** A business rule that removes candidates from the pool, reporting what it removed. */
public interface CandidateFilter {

    /** The filter's name in metrics and in {@link Blender.BlendResult#dropped()}: lower case with underscores. */
    String name();

    /** Splits the pool into kept and removed, both in input order. */
    FilterResult apply(List<BlendCandidate> candidates);
}
