package dev.braid.recommend;

import java.util.List;
import java.util.Map;

/**
 * The answer to one {@link RecommendationRequest}, before it is written as JSON.
 *
 * @param degraded      why the answer is reduced, or {@code null} when it is not
 * @param modelVersions the model version behind each source that reported one
 */
public record Recommendations(String recommendationId, RecommendationRequest request, List<RankedItem> items,
                              List<SourceReport> sources, boolean partial, Degradation degraded,
                              Map<SourceId, String> modelVersions, SourceReport reranked) {

    public Recommendations {
        items = List.copyOf(items);
        sources = List.copyOf(sources);
        modelVersions = Map.copyOf(modelVersions);
    }
}
