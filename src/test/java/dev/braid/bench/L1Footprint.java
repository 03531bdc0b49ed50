package dev.braid.bench;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.braid.TestConfigs;
import dev.braid.cache.CacheConfig;
import dev.braid.cache.CacheSpec;
import dev.braid.catalog.CachedCatalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.Embedding;
import dev.braid.dev.DemoCatalog;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.pipeline.RecommendationPipeline;

/**
 * {@code bin/l1-footprint [ENTRIES]}: the heap that cache.l1-size entries of each memory-tier cache hold, which the
 * pods' heap is sized from (docs/deploy.md#memory). Fills a Caffeine cache bounded as TieredCache bounds its own with
 * ENTRIES values of each kind, each decoded from the shared tier's bytes by the real codec, as an L2 hit puts it in
 * memory (every list then holds its own copies of its items: the most a list can cost), and measures the live heap
 * after full collections before and after. Lists are the plan's list-size long, items are the demo catalog's (with its
 * embeddings). Run it alone on the machine: another collection in the JVM would blur the figure.
 */
public final class L1Footprint {
    private L1Footprint() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        var config = TestConfigs.local(Map.of());
        CacheConfig cache = config.cache();
        int listSize = config.surfaces().get(config.recommendations().defaultSurface()).blend().listSize();
        List<CatalogItem> catalog = DemoCatalog.generate(entries + listSize, 7).stream()
                .map(item -> new CatalogItem(item.itemId(), item.title(), item.category(), item.brand(),
                        BigDecimal.valueOf(item.price()), item.inStock(), new Embedding(item.embedding())))
                .toList();

        CacheSpec.Codec<BlendedList> lists = RecommendationPipeline.cacheSpec(cache).codec();
        long perList = measure(entries, i -> lists.decode(lists.encode(list(i, catalog, listSize))));
        CacheSpec.Codec<Optional<CatalogItem>> items = CachedCatalog.cacheSpec(cache).codec();
        long perItem = measure(entries, i -> items.decode(items.encode(Optional.of(catalog.get(i)))));

        System.out.printf("list of %d items: %,d bytes per entry; item: %,d bytes per entry%n", listSize, perList, perItem);
        System.out.printf("cache.l1-size %,d: %,d MB of lists + %,d MB of items%n", cache.l1Size(),
                perList * cache.l1Size() >> 20, perItem * cache.l1Size() >> 20);
    }

    private static long measure(int entries, java.util.function.IntFunction<Object> value) {
        Cache<String, Object> memory = Caffeine.newBuilder().maximumSize(entries).executor(Runnable::run).build();
        long before = liveHeap();
        for (int i = 0; i < entries; i++) {
            memory.put("key:" + i, value.apply(i));
        }
        long after = liveHeap();
        if (memory.estimatedSize() != entries) {
            throw new IllegalStateException("evicted: " + memory.estimatedSize() + " of " + entries);
        }
        return (after - before) / entries;
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static BlendedList list(int n, List<CatalogItem> catalog, int size) {
        List<RankedItem> ranked = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            CatalogItem item = catalog.get((n + i * 31) % catalog.size());
            ranked.add(new RankedItem(item.itemId(), 1.0 / (60 + i), List.of(SourceId.of("trending"), SourceId.of("content")),
                    List.of("trending"), item));
        }
        List<SourceReport> reports = List.of(new SourceReport(SourceId.of("trending"), SourceStatus.OK, Duration.ofMillis(12), size),
                new SourceReport(SourceId.of("content"), SourceStatus.OK, Duration.ofMillis(25), size));
        return new BlendedList("v" + n + "-0123456789abcdef", ranked, reports, false, null, Map.of(), null);
    }
}
