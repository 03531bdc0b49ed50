package dev.braid.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.experiments.Assigner;
import dev.braid.experiments.ConversionCounter;
import dev.braid.experiments.Experiment;
import dev.braid.experiments.ExperimentsConfig;
import dev.braid.experiments.Variant;
import dev.braid.experiments.VariantParams;
import dev.braid.observe.BraidMeters;
import dev.braid.resilience.Deadline;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conversions of an accepted batch are counted per experiment arm, from the recommendation id alone, once. */
class EventAttributionTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String HEX = "0123456789abcdef0123456789abcdef";
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    /** Experiment names unique to this test class: the registry is the JVM's one. */
    private static final String EXPERIMENT = "attribution-test";

    private final List<EventEffects> applied = new ArrayList<>();
    private boolean storeDown;
    private final EventSink sink = effects -> {
        if (storeDown) {
            throw new EventsUnavailableException("down", null);
        }
        applied.add(effects);
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
            new ConversionCounter(assigner, EventType.conversionNames(), METERS));

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
                event("click", HEX + "." + EXPERIMENT + ".b"),
                event("add_to_cart", HEX + "." + EXPERIMENT + ".b"),
                event("click", HEX + "." + EXPERIMENT + ".b"),
                event("purchase", HEX + "." + EXPERIMENT + ".a"),
                // Not conversions: an impression and a rating of a recommended item.
                event("impression", HEX + "." + EXPERIMENT + ".a"),
                event("rating", HEX + "." + EXPERIMENT + ".a"),
                // Outside any experiment, or naming none.
                event("click", HEX),
                event("click", null)));

        assertThat(accepted).isEqualTo(8);
        Map<String, Long> after = counts();
        assertThat(after.get("b/click") - before.get("b/click")).isEqualTo(2);
        assertThat(after.get("b/add_to_cart") - before.get("b/add_to_cart")).isEqualTo(1);
        assertThat(after.get("a/purchase") - before.get("a/purchase")).isEqualTo(1);
        assertThat(after.get("a/click") - before.get("a/click")).isZero();
        assertThat(after.get("b/purchase") - before.get("b/purchase")).isZero();
    }

    @Test
    void forgedArmsCreateNoSeries() {
        ingestion.accept(List.of(event("click", HEX + ".forged-experiment.x"),
                                 event("purchase", HEX + "." + EXPERIMENT + ".no-such-variant"),
                                 event("click", "garbage.attribution-test.a")));

        assertThat(Metrics.globalRegistry().meters(meter -> meter.id().name().equals(BraidMeters.EXPERIMENT_CONVERSIONS)
                                                           && "forged-experiment".equals(
                                                                   meter.id().tagsMap().get("experiment"))))
                .isEmpty();
        assertThat(Metrics.globalRegistry().counter(BraidMeters.EXPERIMENT_CONVERSIONS,
                                                    List.of(Tag.create("experiment", EXPERIMENT),
                                                            Tag.create("variant", "no-such-variant"),
                                                            Tag.create("type", "purchase")))).isEmpty();
    }

    @Test
    void batchesThatAreNotAppliedAttributeNothing() {
        Map<String, Long> before = counts();

        // One invalid event rejects the whole batch (422): nothing applied, nothing counted.
        assertThatThrownBy(() -> ingestion.accept(List.of(event("click", HEX + "." + EXPERIMENT + ".a"),
                                                          event("teleport", HEX + "." + EXPERIMENT + ".a"))))
                .isInstanceOf(InvalidEventsException.class);
        // The store did not take it (503): the client retries, and the retry is what counts.
        storeDown = true;
        assertThatThrownBy(() -> ingestion.accept(List.of(event("click", HEX + "." + EXPERIMENT + ".a"))))
                .isInstanceOf(EventsUnavailableException.class);

        assertThat(counts()).isEqualTo(before);
        assertThat(applied).isEmpty();
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
