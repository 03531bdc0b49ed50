package dev.braid.recommend;

import java.util.List;

/**
 * What one source answered: candidates best first, and the model version that produced them when the source tells.
 */
public record CandidateBatch(List<Candidate> candidates, String modelVersion) {

    public CandidateBatch {
        candidates = List.copyOf(candidates);
    }
}
