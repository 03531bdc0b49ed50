package dev.braid.recommend;

import java.util.List;

/**
 * What one source answered: candidates best first, the model version that produced them when the source tells, and the
 * source's own id for this answer (e.g. Personalize's {@code recommendationId}) for attributing clicks later.
 */
public record CandidateBatch(List<Candidate> candidates, String modelVersion, String responseId) {

    public CandidateBatch {
        candidates = List.copyOf(candidates);
    }

    public CandidateBatch(List<Candidate> candidates, String modelVersion) {
        this(candidates, modelVersion, null);
    }
}
