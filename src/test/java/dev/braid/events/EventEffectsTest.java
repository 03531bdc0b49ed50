package dev.braid.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.braid.catalog.CatalogItem;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/** What a batch changes, summed per key (pure logic: the Redis side is EventsIT's subject). */
class EventEffectsTest {
    private static final Instant TS = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, CatalogItem> CATALOG = Map.of(
            "shoe", item("shoe", "shoes", "Acme"),
            "boot", item("boot", "shoes", "Fjord"),
            "bag", item("bag", "bags", "Acme"));

    @Test
    void theGenerationIsBumpedOncePerUserAndOnlyForEventsThatChangeRecommendations() {
        EventEffects effects = EventEffects.of(batch(
                event("u1", "shoe", EventType.CLICK, null), event("u1", "boot", EventType.PURCHASE, null),
                event("u2", "shoe", EventType.IMPRESSION, null), event("u3", "bag", EventType.RATING, 1.0),
                event("u4", "bag", EventType.ADD_TO_CART, null)), CATALOG);

        assertThat(effects.generations()).containsExactly("u1", "u3", "u4");
    }

    @Test
    void purchasesAreRecordedPerUser() {
        EventEffects effects = EventEffects.of(batch(
                event("u1", "shoe", EventType.PURCHASE, null), event("u1", "bag", EventType.PURCHASE, null),
                event("u1", "shoe", EventType.PURCHASE, null), event("u2", "boot", EventType.ADD_TO_CART, null)), CATALOG);

        assertThat(effects.purchases()).containsExactly(entry("u1", java.util.Set.of("shoe", "bag")));
    }

    @Test
    void theHistoryTakesWhatTheUserDidOnPurposeOldestFirstSoThatPushingMakesTheNewestTheHead() {
        Event later = new Event("u1", "boot", EventType.CLICK, TS.plusSeconds(60), null, null);
        Event earlier = new Event("u1", "bag", EventType.RATING, TS.minusSeconds(60), 4.0, null);
        Event sameInstantFirst = event("u1", "shoe", EventType.ADD_TO_CART, null);
        Event sameInstantSecond = event("u1", "boot", EventType.PURCHASE, null);
        Event seen = event("u1", "shoe", EventType.IMPRESSION, null);
        Event other = event("u2", "bag", EventType.CLICK, null);

        EventEffects effects = EventEffects.of(batch(later, earlier, sameInstantFirst, seen, other, sameInstantSecond),
                                               CATALOG);

        // By event time, not batch order; events of one instant keep the batch's order; impressions stay out.
        assertThat(effects.history()).containsOnlyKeys("u1", "u2");
        assertThat(effects.history().get("u1")).containsExactly(earlier, sameInstantFirst, sameInstantSecond, later);
        assertThat(effects.history().get("u2")).containsExactly(other);
    }

    @Test
    void impressionsAloneLeaveTheHistoryAlone() {
        EventEffects effects = EventEffects.of(batch(event("u1", "shoe", EventType.IMPRESSION, null)), CATALOG);

        assertThat(effects.history()).isEmpty();
    }

    @Test
    void affinitiesAddTheWeightOfEachEventToTheItemsCategoryAndBrand() {
        EventEffects effects = EventEffects.of(batch(
                event("u1", "shoe", EventType.CLICK, null),           // 1
                event("u1", "boot", EventType.ADD_TO_CART, null),     // 3
                event("u1", "bag", EventType.PURCHASE, null),         // 5
                event("u1", "shoe", EventType.RATING, 4.5),           // 2
                event("u1", "boot", EventType.RATING, 2.5),           // 0: skipped
                event("u1", "bag", EventType.RATING, 0.0),            // negative: skipped
                event("u1", "shoe", EventType.IMPRESSION, null),      // no affinity
                event("u1", "unknown", EventType.PURCHASE, null)),    // not in the catalog
                CATALOG);

        assertThat(effects.categories()).containsExactly(entry("u1", Map.of("shoes", 6.0, "bags", 5.0)));
        assertThat(effects.brands()).containsExactly(entry("u1", Map.of("Acme", 8.0, "Fjord", 3.0)));
    }

    @Test
    void withoutTheCatalogThereAreNoAffinitiesButEverythingElse() {
        EventEffects effects = EventEffects.of(batch(event("u1", "shoe", EventType.PURCHASE, null)), Map.of());

        assertThat(effects.categories()).isEmpty();
        assertThat(effects.brands()).isEmpty();
        assertThat(effects.generations()).containsExactly("u1");
        assertThat(effects.purchases()).containsKey("u1");
        assertThat(effects.trending()).containsKey("shoe");
    }

    @Test
    void onlyEventsWithAnAffinityNeedTheCatalog() {
        EventBatch batch = batch(event("u1", "shoe", EventType.IMPRESSION, null), event("u1", "boot", EventType.CLICK, null),
                                 event("u2", "bag", EventType.RATING, 2.0), event("u2", "boot", EventType.RATING, 3.0));

        assertThat(EventEffects.affinityItems(batch)).containsExactly("boot");
    }

    @Test
    void trendingSumsTheDecayedWeightsPerItemAsLogarithms() {
        EventEffects effects = EventEffects.of(batch(
                event("u1", "shoe", EventType.CLICK, null), event("u2", "shoe", EventType.PURCHASE, null),
                event("u3", "bag", EventType.IMPRESSION, null), event("u4", "boot", EventType.RATING, 0.0)), CATALOG);

        double unit = TrendingDecay.logScore(1, TS);
        assertThat(Math.exp(effects.trending().get("shoe") - unit)).isCloseTo(6.0, within(1e-9));
        assertThat(Math.exp(effects.trending().get("bag") - unit)).isCloseTo(0.1, within(1e-9));
        assertThat(Math.exp(effects.trending().get("boot") - unit)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void forwardDecayWeighsANewerEventMoreByAFactorEPerTau() {
        Instant earlier = TS.minus(TrendingDecay.TAU);
        assertThat(TrendingDecay.logScore(1, TS) - TrendingDecay.logScore(1, earlier)).isCloseTo(1.0, within(1e-9));
        // Two clicks a day ago weigh less than one now (2/e < 1), more than one two days ago.
        double twoEarlier = TrendingDecay.logSum(TrendingDecay.logScore(1, earlier), TrendingDecay.logScore(1, earlier));
        assertThat(twoEarlier).isLessThan(TrendingDecay.logScore(1, TS))
                .isGreaterThan(TrendingDecay.logScore(1, TS.minus(TrendingDecay.TAU.multipliedBy(2))));
        assertThat(TrendingDecay.logScore(5, TS) - TrendingDecay.logScore(1, TS)).isCloseTo(Math.log(5), within(1e-9));
    }

    @Test
    void logarithmsNeverOverflowAndARebaseAtAnInstantMakesItsEventsWeighTheirWeight() {
        // Centuries from now the logarithm is an ordinary number; only exp(logScore - base) must stay in range, and a
        // rebase at that instant brings it back to the weight itself.
        Instant far = Instant.parse("2400-01-01T00:00:00Z");
        assertThat(Double.isFinite(TrendingDecay.logScore(5, far))).isTrue();
        assertThat(Math.exp(TrendingDecay.logScore(5, far) - TrendingDecay.exponent(far))).isCloseTo(5, within(1e-6));
        assertThat(TrendingDecay.logScore(0, TS)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(TrendingDecay.logSum(Double.NEGATIVE_INFINITY, 3.0)).isEqualTo(3.0);
        // Sums of exponents far apart keep the larger exactly instead of overflowing.
        assertThat(TrendingDecay.logSum(1000, 0)).isEqualTo(1000);
    }

    private static EventBatch batch(Event... events) {
        return new EventBatch(List.of(events));
    }

    private static Event event(String user, String item, EventType type, Double value) {
        return new Event(user, item, type, TS, value, null);
    }

    private static CatalogItem item(String id, String category, String brand) {
        return new CatalogItem(id, "title of " + id, category, brand, BigDecimal.TEN, true);
    }
}
