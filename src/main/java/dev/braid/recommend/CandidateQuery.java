package dev.braid.recommend;

import dev.braid.resilience.Deadline;

/**
 * What a source is asked: the request, how many candidates, and the deadline no call of the source may outlive.
 */
public record CandidateQuery(RecommendationRequest request, int limit, Deadline deadline) {
}
