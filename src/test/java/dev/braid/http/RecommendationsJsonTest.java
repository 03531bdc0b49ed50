package dev.braid.http;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.braid.cache.CacheOutcome;
import dev.braid.catalog.CatalogItem;
import dev.braid.experiments.Arm;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.Degradation;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.pipeline.Recommendations;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answer written from parts made once per list is, byte for byte, what Jackson writes for the whole envelope (the
 * way every answer was written before), over thousands of generated answers: pages of every size and offset, nulls,
 * escapes, non-ASCII text, every degradation, with and without arm, cursor and re-ranking.
 */
class RecommendationsJsonTest {
    private static final String[] AWKWARD = {"Trail Runner", "Schuh \"Größe\" 42", "tab\there", "back\\slash",
                                             "line\nbreak", "\u0001control", "emoji \uD83D\uDC5F", "", "</script>"};

    @Test
    void everyAnswerIsTheSameBytesAsTheWholeEnvelopeWrittenByJackson() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            BlendedList list = list(random);
            int offset = random.nextInt(list.items().size() + 1);
            int size = random.nextInt(list.items().size() - offset + 1);
            Recommendations answer = answer(random, list, list.items().subList(offset, offset + size));

            byte[] written = RecommendationsJson.render(answer).body();

            assertThat(new String(written, StandardCharsets.UTF_8))
                    .isEqualTo(new String(Json.write(reference(answer)), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theTagFollowsWhatThePageMeansAndNothingElse() {
        Random random = new Random(7);
        BlendedList list = list(random);
        Recommendations page = answer(random, list, list.items().subList(0, 3));
        String tag = RecommendationsJson.render(page).etag();
        // Another id and cursor for the same page: the same tag (on any replica: nothing random is in it).
        Recommendations again = new Recommendations("another-id", page.request(), page.items(), list, page.degraded(),
                                                    CacheOutcome.HIT_L2, page.experiment(), "another-cursor");
        assertThat(RecommendationsJson.render(again).etag()).isEqualTo(tag);
        // Another page, another arm, another user: another tag.
        assertThat(RecommendationsJson.render(new Recommendations(
                page.recommendationId(), page.request(), list.items().subList(1, 4), list, page.degraded(), page.cache(),
                page.experiment(), null)).etag()).isNotEqualTo(tag);
        assertThat(RecommendationsJson.render(new Recommendations(
                page.recommendationId(), page.request(), page.items(), list, page.degraded(), page.cache(),
                new Arm("blend-v9", "other"), null)).etag()).isNotEqualTo(tag);
        assertThat(RecommendationsJson.render(new Recommendations(
                page.recommendationId(), request("someone-else"), page.items(), list, page.degraded(), page.cache(),
                page.experiment(), null)).etag()).isNotEqualTo(tag);
    }

    /** The envelope as it was written before: the record, whole, through the API's one Jackson mapping. */
    private static RecommendationsBody reference(Recommendations recommendations) {
        BlendedList list = recommendations.list();
        List<RecommendationsBody.Item> items = new ArrayList<>();
        for (RankedItem item : recommendations.items()) {
            CatalogItem details = item.details();
            items.add(new RecommendationsBody.Item(item.itemId(), RecommendationsBody.round(item.score()),
                                                   item.sources().stream().map(SourceId::name).toList(), item.reasons(),
                                                   details == null ? null : details.title(),
                                                   details == null ? null : details.category(),
                                                   details == null ? null : details.brand(),
                                                   details == null ? null : details.price()));
        }
        List<String> used = new ArrayList<>();
        List<RecommendationsBody.FailedSource> failed = new ArrayList<>();
        Map<String, RecommendationsBody.Source> sources = new LinkedHashMap<>();
        for (SourceReport report : list.sources()) {
            String name = report.source().name();
            sources.put(name, new RecommendationsBody.Source(report.status().wireName(), report.latency().toMillis(),
                                                             report.count()));
            if (report.status() == SourceStatus.OK) {
                used.add(name);
            } else if (report.status() != SourceStatus.SKIPPED) {
                failed.add(new RecommendationsBody.FailedSource(name, report.status().wireName()));
            }
        }
        Map<String, String> versions = new LinkedHashMap<>();
        list.modelVersions().forEach((source, version) -> versions.put(source.name(), version));
        Arm arm = recommendations.experiment();
        SourceReport reranked = list.reranked();
        return new RecommendationsBody(
                recommendations.recommendationId(), recommendations.request().user(), recommendations.request().surface(),
                items, list.partial(), used, failed, sources,
                recommendations.degraded() == null ? null : recommendations.degraded().wireName(),
                recommendations.cache().wireName(), arm == null ? null : new RecommendationsBody.Experiment(
                        arm.experiment(), arm.variant()), versions, recommendations.nextCursor(),
                reranked == null ? null : new RecommendationsBody.Reranked(reranked.source().name(),
                                                                           reranked.status().wireName(),
                                                                           reranked.latency().toMillis()));
    }

    private static BlendedList list(Random random) {
        List<SourceId> ids = List.of(SourceId.of("personalize"), SourceId.of("trending"), SourceId.of("databricks"));
        List<RankedItem> items = new ArrayList<>();
        int count = random.nextInt(30);
        for (int i = 0; i < count; i++) {
            CatalogItem details = random.nextInt(5) == 0 ? null : new CatalogItem(
                    "i" + i, pick(random), random.nextBoolean() ? null : pick(random), pick(random),
                    random.nextBoolean() ? null : new BigDecimal(random.nextInt(100_000)).movePointLeft(2), true);
            items.add(new RankedItem("i" + i + (random.nextInt(10) == 0 ? "-\u00e9" : ""), random.nextDouble() * 3,
                                     ids.subList(0, random.nextInt(ids.size() + 1)),
                                     random.nextBoolean() ? List.of() : List.of(pick(random), "popular right now"),
                                     details));
        }
        List<SourceReport> reports = new ArrayList<>();
        for (SourceId id : ids) {
            SourceStatus status = SourceStatus.values()[random.nextInt(SourceStatus.values().length)];
            reports.add(new SourceReport(id, status, Duration.ofMillis(random.nextInt(300)), random.nextInt(100)));
        }
        Map<SourceId, String> versions = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            versions.put(ids.getFirst(), "arn:aws:personalize:us-east-1:1:campaign/" + pick(random));
        }
        Degradation degraded = random.nextInt(3) == 0 ? null
                : Degradation.values()[random.nextInt(Degradation.values().length)];
        SourceReport reranked = random.nextBoolean() ? null
                : new SourceReport(ids.getFirst(), SourceStatus.OK, Duration.ofMillis(12), 20);
        return new BlendedList("v" + random.nextLong(), items, reports, random.nextBoolean(), degraded, versions,
                               reranked);
    }

    private static Recommendations answer(Random random, BlendedList list, List<RankedItem> page) {
        Degradation degraded = random.nextInt(4) == 0 ? Degradation.STALE : list.degraded();
        Arm arm = random.nextBoolean() ? null : new Arm("blend-" + pick(random), random.nextBoolean() ? "control" : "b");
        return new Recommendations("id-" + random.nextLong(), request(random.nextBoolean() ? null : "u" + pick(random)),
                                   page, list, degraded, CacheOutcome.values()[random.nextInt(CacheOutcome.values().length)],
                                   arm, random.nextBoolean() ? null : "cursor-" + random.nextInt());
    }

    private static RecommendationRequest request(String user) {
        return new RecommendationRequest(user, "home", 20, Set.of(), null, null, null, null, null);
    }

    private static String pick(Random random) {
        return AWKWARD[random.nextInt(AWKWARD.length)];
    }
}
