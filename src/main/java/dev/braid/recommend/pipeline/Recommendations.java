package dev.braid.recommend.pipeline;

import java.util.List;

import dev.braid.cache.CacheOutcome;
import dev.braid.experiments.Arm;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.Degradation;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.RecommendationRequest;

/**
 * The answer to one {@link RecommendationRequest}, before it is written as JSON: one page of a {@link BlendedList}.
 *
 * @param items      this page's items
 * @param list       the list the page was cut from (its sources, model versions, ...)
 * @param degraded   why the answer is reduced, or {@code null}: the list's own reason, or {@code stale} when a stale
 *                   list stood in for a failed one
 * @param cache      where the list came from
 * @param experiment the experiment arm the request was assigned to, or {@code null}
 * @param nextCursor the cursor of the next page, or {@code null} on the last one
 */
public record Recommendations(String recommendationId, RecommendationRequest request, List<RankedItem> items,
                             BlendedList list, Degradation degraded, CacheOutcome cache, Arm experiment,
                             String nextCursor) {

    public Recommendations {
        items = List.copyOf(items);
    }
}
