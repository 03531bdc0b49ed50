package dev.braid.recommend;

import java.util.List;

/**
 * A downstream that re-orders a list Braid already has for one user (Personalize's GetPersonalizedRanking). Asked after
 * blending when a surface's plan names it; when it fails, the blended order stands.
 */
public interface Reranker {
    /** Personalize ranks at most this many items per call. */
    int MAX_ITEMS = 500;

    SourceId id();

    /**
     * @param itemIds the blended list, best first
     * @return the same items (or a subset) in the downstream's order, with its scores
     * @throws SourceException when the downstream cannot answer
     */
    CandidateBatch rerank(CandidateQuery query, List<String> itemIds);
}
