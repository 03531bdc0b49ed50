package dev.braid.recommend.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SurfacePlan;

/**
 * What a surface serves when no source answered: the catalog's most popular in-stock items (precomputed, refreshed in
 * the background); before they are known, the last list built only from sources that serve everyone (never a personal
 * list); else the plan's configured fallback items. Kept in memory per replica.
 */
public final class DefaultRanking {
    static final String REASON = "popular";

    private final Map<String, List<RankedItem>> lastGood = new ConcurrentHashMap<>();
    private final Map<String, SurfacePlan> plans;
    private final Supplier<List<String>> popular;

    /** @param popular the most popular item ids, best first; empty while unknown */
    public DefaultRanking(Map<String, SurfacePlan> plans, Supplier<List<String>> popular) {
        this.plans = Map.copyOf(plans);
        this.popular = popular;
    }

    /** Remembers a list that holds nothing personal, to serve it if the sources fail later. */
    public void remember(String surface, List<RankedItem> nonPersonal) {
        if (!nonPersonal.isEmpty()) {
            lastGood.put(surface, List.copyOf(nonPersonal));
        }
    }

    public List<RankedItem> ranking(String surface, int n, Set<String> exclude) {
        List<String> popularIds = popular.get();
        if (!popularIds.isEmpty()) {
            return ranked(popularIds, n, exclude);
        }
        List<RankedItem> remembered = lastGood.get(surface);
        List<RankedItem> ranked = new ArrayList<>(n);
        if (remembered != null) {
            for (RankedItem item : remembered) {
                if (ranked.size() < n && !exclude.contains(item.itemId())) {
                    ranked.add(new RankedItem(item.itemId(), item.score(), List.of(), List.of(REASON)));
                }
            }
            return ranked;
        }
        return ranked(plans.get(surface).fallbackItems(), n, exclude);
    }

    /** Ids best first, scored by rank. */
    private static List<RankedItem> ranked(List<String> itemIds, int n, Set<String> exclude) {
        List<RankedItem> ranked = new ArrayList<>(n);
        for (int i = 0; i < itemIds.size() && ranked.size() < n; i++) {
            String itemId = itemIds.get(i);
            if (!exclude.contains(itemId)) {
                ranked.add(new RankedItem(itemId, 1.0 / (1 + i), List.of(), List.of(REASON)));
            }
        }
        return ranked;
    }
}
