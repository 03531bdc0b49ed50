package dev.braid.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.cache.CacheConfig;
import dev.braid.cache.CacheSpec;
import dev.braid.cache.TieredCache;
import dev.braid.resilience.Deadline;

/**
 * The catalog behind the two-tier cache: a page's items come from memory, then from one batch read of Redis, and only
 * the rest from one catalog lookup, written back in one batch. Unknown ids are remembered briefly too, so a page
 * that names a deleted item does not ask the catalog for it on every request.
 */
public final class CachedCatalog implements Catalog {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Catalog catalog;
    private final TieredCache<Optional<CatalogItem>> cache;
    private final String prefix;

    /** @param index the alias the catalog reads: part of every key, so deployments sharing a Redis never mix items */
    public CachedCatalog(Catalog catalog, TieredCache<Optional<CatalogItem>> cache, String index) {
        this.catalog = catalog;
        this.cache = cache;
        this.prefix = index + ":";
    }

    /** Items are fresh and kept as configured; an unknown id is kept for {@code cache.short-lived}. */
    public static CacheSpec<Optional<CatalogItem>> cacheSpec(CacheConfig config) {
        return new CacheSpec<>("items", config.items(), Optional::isEmpty, item -> false, new CacheSpec.Codec<>() {
            @Override
            public byte[] encode(Optional<CatalogItem> item) {
                try {
                    return JSON.writeValueAsBytes(item.orElse(null));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Optional<CatalogItem> decode(byte[] bytes) {
                try {
                    return Optional.ofNullable(JSON.readValue(bytes, CatalogItem.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    @Override
    public Map<String, CatalogItem> items(Collection<String> ids, Deadline deadline) {
        List<String> keys = ids.stream().map(id -> prefix + id).toList();
        Map<String, Optional<CatalogItem>> known = cache.getAll(keys, missing -> {
            List<String> missingIds = missing.stream().map(key -> key.substring(prefix.length())).toList();
            Map<String, CatalogItem> found = catalog.items(missingIds, deadline);
            Map<String, Optional<CatalogItem>> answered = new LinkedHashMap<>();
            missingIds.forEach(id -> answered.put(prefix + id, Optional.ofNullable(found.get(id))));
            return answered;
        });
        Map<String, CatalogItem> items = new LinkedHashMap<>();
        known.forEach((key, item) -> item.ifPresent(present -> items.put(key.substring(prefix.length()), present)));
        return items;
    }

    @Override
    public List<CatalogItem> popular(int n, Deadline deadline) {
        return catalog.popular(n, deadline);
    }

    @Override
    public void close() {
        catalog.close();
    }
}
