package dev.braid.http;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON envelope of {@code GET /v1/recommendations} (docs/api.md); its field names and their order are part of the
 * public API. {@link RecommendationsJson} writes it piece by piece from parts made once per list; its test writes whole
 * envelopes of this record with Jackson and finds the same bytes.
 */
record RecommendationsBody(String recommendationId, String user, String surface, List<Item> items, boolean partial,
                           List<String> sourcesUsed, List<FailedSource> failedSources, Map<String, Source> sources,
                           String degraded, String cache, Experiment experiment, Map<String, String> modelVersions,
                           String nextCursor, Reranked rerankedBy) {

    record Item(String itemId, double score, List<String> sources, List<String> reasons, String title, String category,
                String brand, BigDecimal price) {
    }

    record FailedSource(String source, String status) {
    }

    record Source(String status, long latencyMs, int count) {
    }

    record Experiment(String id, String variant) {
    }

    /** How the plan's re-ranking step went: which source, its status and latency. */
    record Reranked(String source, String status, long latencyMs) {
    }

    /** Scores are for ordering and explanation; four decimals are plenty and keep the JSON short. */
    static double round(double score) {
        return Math.round(score * 10_000.0) / 10_000.0;
    }
}
