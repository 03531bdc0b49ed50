package dev.braid.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.catalog.CatalogItem;
import dev.braid.experiments.Arm;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.pipeline.Recommendations;

/** The JSON envelope of {@code GET /v1/recommendations} (docs/api.md); its field names are part of the public API. */
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

    static RecommendationsBody of(Recommendations recommendations) {
        BlendedList list = recommendations.list();
        List<Item> items = new ArrayList<>(recommendations.items().size());
        for (RankedItem item : recommendations.items()) {
            CatalogItem details = item.details();
            items.add(new Item(item.itemId(), round(item.score()), item.sources().stream().map(SourceId::name).toList(),
                               item.reasons(), details == null ? null : details.title(),
                               details == null ? null : details.category(), details == null ? null : details.brand(),
                               details == null ? null : details.price()));
        }
        List<String> used = new ArrayList<>();
        List<FailedSource> failed = new ArrayList<>();
        Map<String, Source> sources = new LinkedHashMap<>();
        for (SourceReport report : list.sources()) {
            String name = report.source().name();
            sources.put(name, new Source(report.status().wireName(), report.latency().toMillis(), report.count()));
            if (report.status() == SourceStatus.OK) {
                used.add(name);
            } else if (report.status() != SourceStatus.SKIPPED) {
                failed.add(new FailedSource(name, report.status().wireName()));
            }
        }
        Map<String, String> versions = new LinkedHashMap<>();
        list.modelVersions().forEach((source, version) -> versions.put(source.name(), version));
        Arm arm = recommendations.experiment();
        return new RecommendationsBody(recommendations.recommendationId(), recommendations.request().user(),
                                       recommendations.request().surface(), items, list.partial(), used, failed,
                                       sources,
                                       recommendations.degraded() == null ? null : recommendations.degraded().wireName(),
                                       recommendations.cache().wireName(),
                                       arm == null ? null : new Experiment(arm.experiment(), arm.variant()), versions,
                                       recommendations.nextCursor(), reranked(list.reranked()));
    }

    private static Reranked reranked(SourceReport report) {
        return report == null ? null : new Reranked(report.source().name(), report.status().wireName(),
                                                    report.latency().toMillis());
    }

    /**
     * What the answer means to the client, for its ETag: the list it renders and whether it is complete; not the
     * per-response id, the latencies or how each failed source failed.
     */
    String meaning() {
        StringBuilder meaning = new StringBuilder(items.size() * 24 + 64)
                .append(user).append('|').append(surface).append('|').append(partial).append('|').append(degraded)
                .append('|').append(experiment);
        items.forEach(item -> meaning.append('|').append(item.itemId()).append(':').append(item.score()));
        return meaning.toString();
    }

    /** Scores are for ordering and explanation; four decimals are plenty and keep the JSON short. */
    private static double round(double score) {
        return Math.round(score * 10_000.0) / 10_000.0;
    }
}
