package dev.braid.recommend;

import java.util.List;
import java.util.Map;

import dev.braid.cache.CacheOutcome;

/**
 * The answer to one {@link RecommendationRequest}, before it is written as JSON.
 *
 * @param degraded      why the answer is reduced, or {@code null} when it is not
 * @param modelVersions the model version behind each source that reported one
 * @param cache         where the list came from ({@code null} while it is being made)
 */
public record Recommendations(String recommendationId, RecommendationRequest request, List<RankedItem> items,
                              List<SourceReport> sources, boolean partial, Degradation degraded,
                              Map<SourceId, String> modelVersions, SourceReport reranked, CacheOutcome cache) {

    public Recommendations {
        items = List.copyOf(items);
        sources = List.copyOf(sources);
        modelVersions = Map.copyOf(modelVersions);
    }
}
