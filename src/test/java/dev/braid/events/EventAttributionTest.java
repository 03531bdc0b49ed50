package dev.braid.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.experiments.Assigner;
import dev.braid.experiments.Assignment;
import dev.braid.experiments.ConversionCounter;
import dev.braid.experiments.Experiment;
import dev.braid.experiments.ExperimentsConfig;
import dev.braid.experiments.RecommendationIds;
import dev.braid.experiments.Variant;
import dev.braid.experiments.VariantParams;
import dev.braid.observe.BraidMeters;
import dev.braid.resilience.Deadline;
import dev.braid.token.SealedTokens;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conversions of an accepted batch are counted per experiment arm, from the recommendation id alone, once. */
class EventAttributionTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    private static final RecommendationIds IDS = new RecommendationIds(new SealedTokens(List.of(
            "attribution-test-secret-01".getBytes(StandardCharsets.UTF_8))));
    /** Ids this service issued for pages that showed i1, in each arm, and outside any experiment. */
    private static final String A = issued("a", "i1", "i2");
    private static final String B = issued("b", "i0", "i1");
    private static final String NONE = IDS.next(Optional.empty(), "u1", List.of("i1"));
    /** Experiment names unique to this test class: the registry is the JVM's one. */
    private static final String EXPERIMENT = "attribution-test";

    private final List<EventEffects> applied = new ArrayList<>();
    private boolean storeDown;
    private final EventSink sink = new EventSink() {
        @Override
        public Claim claim(IdempotencyKey key, String fingerprint) {
            return new Claim.Claimed("token", 0);
        }

        @Override
        public boolean apply(EventEffects effects, Commit commit) {
            if (storeDown) {
                throw new EventsUnavailableException("down", null, false);
            }
            applied.add(effects);
            return true;
        }

        @Override
        public void release(IdempotencyKey key, String token) {
        }
    };
    private final Catalog catalog = new Catalog() {
        @Override
        public Map<String, CatalogItem> items(java.util.Collection<String> ids, Deadline deadline) {
            return Map.of();
        }

        @Override
        public List<CatalogItem> popular(int n, Deadline deadline) {
            return List.of();
        }
    };
    private final Assigner assigner = new Assigner(new ExperimentsConfig(List.of(new Experiment(
            EXPERIMENT, true, Set.of("home"), "salt", 1.0,
            List.of(new Variant("a", 1, VariantParams.none()), new Variant("b", 1, VariantParams.none()))))));
    private final EventIngestion ingestion = new EventIngestion(
            sink, catalog, Duration.ofMillis(50), Clock.fixed(NOW, ZoneOffset.UTC), METERS,
            new ConversionCounter(assigner, IDS, EventType.conversionNames(), METERS), Duration.ofSeconds(10));

    @Test
    void everyArmsSeriesExistsAtZeroBeforeAnyConversion() {
        for (String variant : List.of("a", "b")) {
            for (String type : List.of("click", "add_to_cart", "purchase")) {
                assertThat(Metrics.globalRegistry().counter(BraidMeters.EXPERIMENT_CONVERSIONS, tags(variant, type)))
                        .isPresent();
            }
            assertThat(Metrics.globalRegistry().counter(BraidMeters.EXPERIMENT_CONVERSIONS, tags(variant, "rating")))
                    .isEmpty();
        }
    }

    @Test
    void clicksCartsAndPurchasesNamingAKnownArmAreCountedOnceEach() {
        Map<String, Long> before = counts();

        int accepted = ingestion.accept(List.of(
                event("click", B),
                event("add_to_cart", B),
                event("click", B),
                event("purchase", A),
                // Not conversions: an impression and a rating of a recommended item.
                event("impression", A),
                event("rating", A),
                // Outside any experiment, or naming none.
                event("click", NONE),
                event("click", null)));

        assertThat(accepted).isEqualTo(8);
        Map<String, Long> after = counts();
        // The second click on the same item of the same answer is the same conversion.
        assertThat(after.get("b/click") - before.get("b/click")).isEqualTo(1);
        assertThat(after.get("b/add_to_cart") - before.get("b/add_to_cart")).isEqualTo(1);
        assertThat(after.get("a/purchase") - before.get("a/purchase")).isEqualTo(1);
        assertThat(after.get("a/click") - before.get("a/click")).isZero();
        assertThat(after.get("b/purchase") - before.get("b/purchase")).isZero();
    }

    @Test
    void aMadeUpOrChangedIdOrAnItemTheAnswerDidNotShowIsCreditedToNoArm() {
        Map<String, Long> before = counts();
        String changed = (A.charAt(10) == 'A' ? A.substring(0, 10) + "B" : A.substring(0, 10) + "A") + A.substring(11);
        String foreign = new RecommendationIds(new SealedTokens(List.of(
                "someone-elses-secret-0123".getBytes(StandardCharsets.UTF_8))))
                .next(Optional.of(new Assignment(EXPERIMENT, "a", VariantParams.none())), "u1", List.of("i1"));
        ingestion.accept(List.of(event("click", "0123456789abcdef0123456789abcdef." + EXPERIMENT + ".a"),
                                 event("click", changed),
                                 event("click", foreign),
                                 event("click", issued("a", "i7", "i8"))));

        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anIdCreditsOnlyTheUserItWasServedToAndEachConversionOnce() {
        String served = issued("a", "i1", "i2");
        Map<String, Long> before = counts();

        // The id served to u1, replayed as five hundred made-up users: none of them was shown that answer.
        List<Map<String, Object>> replayed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Map<String, Object> event = event("click", served);
            event.put("user", "fake" + i);
            replayed.add(event);
        }
        ingestion.accept(replayed);
        assertThat(counts()).isEqualTo(before);

        // u1's own click counts once, however often it is sent again.
        ingestion.accept(List.of(event("click", served)));
        ingestion.accept(List.of(event("click", served), event("click", served)));
        assertThat(counts().get("a/click") - before.get("a/click")).isEqualTo(1);
    }

    @Test
    void forgedArmsCreateNoSeries() {
        ingestion.accept(List.of(event("click", issued("no-such-variant", "i1")),
                                 event("purchase", "garbage.attribution-test.a")));

        assertThat(Metrics.globalRegistry().counter(BraidMeters.EXPERIMENT_CONVERSIONS,
                                                    List.of(Tag.create("experiment", EXPERIMENT),
                                                            Tag.create("variant", "no-such-variant"),
                                                            Tag.create("type", "click")))).isEmpty();
    }

    @Test
    void batchesThatAreNotAppliedAttributeNothing() {
        Map<String, Long> before = counts();

        // One invalid event rejects the whole batch (422): nothing applied, nothing counted.
        assertThatThrownBy(() -> ingestion.accept(List.of(event("click", A), event("teleport", A))))
                .isInstanceOf(InvalidEventsException.class);
        // The store did not take it (503): the client retries, and the retry is what counts.
        storeDown = true;
        assertThatThrownBy(() -> ingestion.accept(List.of(event("click", A))))
                .isInstanceOf(EventsUnavailableException.class);

        assertThat(counts()).isEqualTo(before);
        assertThat(applied).isEmpty();
    }

    /** An id as this service issues it for an answer in {@code variant} that showed {@code items}. */
    private static String issued(String variant, String... items) {
        return IDS.next(Optional.of(new Assignment(EXPERIMENT, variant, VariantParams.none())), "u1", List.of(items));
    }

    private static Map<String, Object> event(String type, String recommendationId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("user", "u1");
        event.put("item_id", "i1");
        event.put("type", type);
        event.put("ts", NOW.toString());
        if (type.equals("rating")) {
            event.put("value", 4.0);
        }
        if (recommendationId != null) {
            event.put("recommendation_id", recommendationId);
        }
        return event;
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String variant : List.of("a", "b")) {
            for (String type : EventType.conversionNames()) {
                counts.put(variant + "/" + type, Metrics.globalRegistry()
                        .counter(BraidMeters.EXPERIMENT_CONVERSIONS, tags(variant, type)).map(Counter::count).orElse(0L));
            }
        }
        return counts;
    }

    private static List<Tag> tags(String variant, String type) {
        return List.of(Tag.create("experiment", EXPERIMENT), Tag.create("variant", variant), Tag.create("type", type));
    }
}
