package dev.braid.recommend;

import java.util.Map;

import dev.braid.resilience.Deadline;

/**
 * What a source is asked: the request, how many candidates, the deadline no call of the source may outlive, and the
 * model an experiment asks a source for instead of its configured one.
 *
 * @param models source → model: a Databricks served model, a Personalize campaign or recommender ARN, a microservice's
 *               {@code model} parameter; absent: the source's own
 */
public record CandidateQuery(RecommendationRequest request, int limit, Deadline deadline, Map<SourceId, String> models) {

    public CandidateQuery {
        models = Map.copyOf(models);
    }

    public CandidateQuery(RecommendationRequest request, int limit, Deadline deadline) {
        this(request, limit, deadline, Map.of());
    }

    /** The model asked of {@code source}, or {@code null} for its own. */
    public String model(SourceId source) {
        return models.get(source);
    }
}
