package dev.braid.catalog;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.braid.cache.CacheConfig;
import dev.braid.cache.CacheSpec;
import dev.braid.cache.MemoryStore;
import dev.braid.cache.TieredCache;
import dev.braid.config.Settings;
import dev.braid.observe.BraidMeters;
import dev.braid.resilience.Deadline;

import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hydration through the cache: what is asked of the catalog and of the shared tier (pure logic, in-memory store). */
class CachedCatalogTest {
    private static final CacheConfig CONFIG = CacheConfig.create(Settings.of(Config.empty()));
    private final MemoryStore store = new MemoryStore();
    private final List<Set<String>> asked = new ArrayList<>();
    private boolean down;

    private final Catalog catalog = new Catalog() {
        @Override
        public Map<String, CatalogItem> items(Collection<String> ids, Deadline deadline) {
            if (down) {
                throw new CatalogUnavailableException("catalog down", null);
            }
            asked.add(Set.copyOf(ids));
            Map<String, CatalogItem> found = new HashMap<>();
            ids.stream().filter(id -> !id.startsWith("gone"))
                    .forEach(id -> found.put(id, new CatalogItem(id, "Title " + id, "shoes", "Acme", BigDecimal.TEN, true)));
            return found;
        }

        @Override
        public List<CatalogItem> popular(int n, Deadline deadline) {
            return List.of();
        }
    };

    private CachedCatalog cached(boolean memory) {
        CacheConfig config = new CacheConfig(true, memory, 100, CONFIG.lockTtl(), CONFIG.lockWait(), 0, 0,
                                             CONFIG.shortLived(), Duration.ZERO, false, CONFIG.recommendations(),
                                             CONFIG.items());
        return new CachedCatalog(catalog, new TieredCache<>(CachedCatalog.cacheSpec(config), config, store,
                                                            Clock.systemUTC(), () -> 0.5, Runnable::run,
                                                            new BraidMeters(Metrics.globalRegistry())), "catalog");
    }

    @Test
    void onlyTheMissingIdsReachTheCatalogInOneLookup() {
        CachedCatalog cached = cached(true);
        assertThat(cached.items(List.of("i1", "i2"), Deadline.after(Duration.ofSeconds(1)))).containsOnlyKeys("i1", "i2");
        assertThat(cached.items(List.of("i1", "i2", "i3", "gone-1"), Deadline.after(Duration.ofSeconds(1))))
                .containsOnlyKeys("i1", "i2", "i3");
        assertThat(asked).containsExactly(Set.of("i1", "i2"), Set.of("i3", "gone-1"));
        // The unknown id is remembered too: asking again costs nothing.
        cached.items(List.of("gone-1", "i3"), Deadline.after(Duration.ofSeconds(1)));
        assertThat(asked).hasSize(2);
    }

    @Test
    void anotherReplicaReadsTheSharedTierInOneBatch() {
        cached(true).items(List.of("i1", "i2", "i3"), Deadline.after(Duration.ofSeconds(1)));
        int readsBefore = store.reads.get();
        CachedCatalog other = cached(true);
        assertThat(other.items(List.of("i1", "i2", "i3"), Deadline.after(Duration.ofSeconds(1))))
                .containsOnlyKeys("i1", "i2", "i3");
        assertThat(asked).hasSize(1);
        assertThat(store.reads.get() - readsBefore).isEqualTo(3);   // the in-memory store counts keys of its one batch
    }

    @Test
    void whenTheCatalogIsDownCachedItemsStillAnswer() {
        CachedCatalog cached = cached(false);
        cached.items(List.of("i1"), Deadline.after(Duration.ofSeconds(1)));
        down = true;
        assertThat(cached.items(List.of("i1", "i9"), Deadline.after(Duration.ofSeconds(1)))).containsOnlyKeys("i1");
        assertThatThrownBy(() -> cached.items(List.of("i8"), Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(CatalogUnavailableException.class);
    }

    @Test
    void theCodecRoundTripsAnItemWithItsEmbeddingAndOneWithout() {
        CacheSpec.Codec<Optional<CatalogItem>> codec = CachedCatalog.cacheSpec(CONFIG).codec();
        // Values a float holds exactly and values it only approximates: both must come back bit for bit.
        Embedding embedding = new Embedding(new float[]{0.1f, -0.25f, 1e-7f, 3.4e38f, 0f, (float) Math.PI});
        CatalogItem with = new CatalogItem("i1", "Trail Runner", "shoes", "Acme", new BigDecimal("89.90"), true, embedding);
        CatalogItem without = new CatalogItem("i2", "Tote", "bags", "Fjord", BigDecimal.TEN, false);

        Optional<CatalogItem> decoded = codec.decode(codec.encode(Optional.of(with)));

        assertThat(decoded).contains(with);
        assertThat(decoded.orElseThrow().embedding().values()).containsExactly(embedding.values());
        assertThat(codec.decode(codec.encode(Optional.of(without)))).contains(without);
        assertThat(codec.decode(codec.encode(Optional.empty()))).isEmpty();
    }

    @Test
    void anEntryWrittenBeforeItemsHadEmbeddingsStillDecodes() {
        CacheSpec.Codec<Optional<CatalogItem>> codec = CachedCatalog.cacheSpec(CONFIG).codec();
        byte[] old = ("{\"itemId\":\"i3\",\"title\":\"Cap\",\"category\":\"hats\",\"brand\":\"Vela\",\"price\":12.5,"
                      + "\"inStock\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(codec.decode(old)).contains(new CatalogItem("i3", "Cap", "hats", "Vela", new BigDecimal("12.5"), true));
    }

    @Test
    void itemsWithEmbeddingsComeBackWithThemFromTheSharedTier() {
        Embedding embedding = new Embedding(new float[]{0.6f, 0.8f});
        Catalog withEmbeddings = new Catalog() {
            @Override
            public Map<String, CatalogItem> items(Collection<String> ids, Deadline deadline) {
                asked.add(Set.copyOf(ids));
                Map<String, CatalogItem> found = new HashMap<>();
                ids.forEach(id -> found.put(id, new CatalogItem(id, "T", "shoes", "Acme", BigDecimal.ONE, true, embedding)));
                return found;
            }

            @Override
            public List<CatalogItem> popular(int n, Deadline deadline) {
                return List.of();
            }
        };
        CacheConfig config = new CacheConfig(true, false, 100, CONFIG.lockTtl(), CONFIG.lockWait(), 0, 0,
                                             CONFIG.shortLived(), Duration.ZERO, false, CONFIG.recommendations(),
                                             CONFIG.items());
        TieredCache<Optional<CatalogItem>> tiers = new TieredCache<>(CachedCatalog.cacheSpec(config), config, store,
                                                                     Clock.systemUTC(), () -> 0.5, Runnable::run,
                                                                     new BraidMeters(Metrics.globalRegistry()));
        new CachedCatalog(withEmbeddings, tiers, "catalog").items(List.of("e1"), Deadline.after(Duration.ofSeconds(1)));

        // Without a memory tier, the second lookup decodes what the first wrote to the shared tier.
        Map<String, CatalogItem> again = new CachedCatalog(withEmbeddings, tiers, "catalog")
                .items(List.of("e1"), Deadline.after(Duration.ofSeconds(1)));

        assertThat(asked).hasSize(1);
        assertThat(again.get("e1").embedding()).isEqualTo(embedding);
    }
}
