package dev.braid.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.catalog.CatalogItem;

/**
 * What a batch changes, summed per key: a store applies each entry once, whatever the number of events behind it.
 *
 * @param generations users whose cached recommendations the batch makes stale (their generation is bumped once)
 * @param purchases   user → items bought
 * @param categories  user → category → affinity added (positive)
 * @param brands      user → brand → affinity added (positive)
 * @param trending    item → the logarithm of the forward-decayed score the batch adds to it, before the store takes
 *                    the scale's base off ({@link TrendingDecay#logScore}); items whose events weigh nothing are absent
 * @param history     user → the events that enter the user's history ({@link EventType#entersHistory()}), oldest
 *                    first by event time (ties in batch order): pushed one by one onto the head of a list, the newest
 *                    ends up first
 */
public record EventEffects(Set<String> generations, Map<String, Set<String>> purchases,
                           Map<String, Map<String, Double>> categories, Map<String, Map<String, Double>> brands,
                           Map<String, Double> trending, Map<String, List<Event>> history) {

    /** Oldest first; a stable sort keeps the batch's order for events of the same instant. */
    private static final Comparator<Event> BY_TIME = Comparator.comparing(Event::ts);

    /**
     * The effects of {@code batch}; {@code items} holds the catalog entries of its items, so an item missing there (unknown,
     * or the catalog did not answer) contributes no affinity.
     */
    public static EventEffects of(EventBatch batch, Map<String, CatalogItem> items) {
        Set<String> generations = new LinkedHashSet<>();
        Map<String, Set<String>> purchases = new LinkedHashMap<>();
        Map<String, Map<String, Double>> categories = new LinkedHashMap<>();
        Map<String, Map<String, Double>> brands = new LinkedHashMap<>();
        Map<String, Double> trending = new LinkedHashMap<>();
        Map<String, List<Event>> history = new LinkedHashMap<>();
        for (Event event : batch.events()) {
            if (event.type().changesRecommendations()) {
                generations.add(event.user());
            }
            if (event.type() == EventType.PURCHASE) {
                purchases.computeIfAbsent(event.user(), user -> new LinkedHashSet<>()).add(event.itemId());
            }
            if (event.type().entersHistory()) {
                history.computeIfAbsent(event.user(), user -> new ArrayList<>()).add(event);
            }
            double affinity = event.type().affinityWeight(event.value());
            CatalogItem item = items.get(event.itemId());
            if (affinity > 0 && item != null) {
                add(categories, event.user(), item.category(), affinity);
                add(brands, event.user(), item.brand(), affinity);
            }
            if (event.type().trendingWeight() > 0) {
                trending.merge(event.itemId(), TrendingDecay.logScore(event.type().trendingWeight(), event.ts()),
                               TrendingDecay::logSum);
            }
        }
        history.replaceAll((user, events) -> events.stream().sorted(BY_TIME).toList());
        return new EventEffects(generations, purchases, categories, brands, trending, history);
    }

    /** The items whose category and brand the batch needs: those of events that carry an affinity. */
    public static Set<String> affinityItems(EventBatch batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Event event : batch.events()) {
            if (event.type().affinityWeight(event.value()) > 0) {
                ids.add(event.itemId());
            }
        }
        return ids;
    }

    private static void add(Map<String, Map<String, Double>> affinities, String user, String value, double weight) {
        if (value != null && !value.isBlank()) {
            affinities.computeIfAbsent(user, u -> new LinkedHashMap<>()).merge(value, weight, Double::sum);
        }
    }
}
