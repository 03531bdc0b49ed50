package dev.braid.recommend.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.cache.CacheSpec;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.Embedding;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.Degradation;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A blended list as the shared cache keeps it: JSON of a few flat records, so the stored form does not follow every
 * change of the domain types (a change that matters bumps the envelope's schema). Embeddings are kept so that a page
 * served from the cache is measured for diversity as it was when made.
 */
final class BlendedListCodec implements CacheSpec.Codec<BlendedList> {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    record Stored(String version, List<Item> items, List<Report> sources, boolean partial, String degraded,
                  Map<String, String> modelVersions, Report reranked) {
    }

    record Item(String id, double score, List<String> sources, List<String> reasons, Details details) {
    }

    record Details(String title, String category, String brand, BigDecimal price, boolean inStock, float[] embedding) {
    }

    record Report(String source, String status, long latencyMicros, int count) {
    }

    @Override
    public byte[] encode(BlendedList value) {
        Map<String, String> versions = new LinkedHashMap<>();
        value.modelVersions().forEach((source, version) -> versions.put(source.name(), version));
        Stored stored = new Stored(value.version(), value.items().stream().map(BlendedListCodec::item).toList(),
                                   value.sources().stream().map(BlendedListCodec::report).toList(), value.partial(),
                                   value.degraded() == null ? null : value.degraded().name(), versions,
                                   value.reranked() == null ? null : report(value.reranked()));
        try {
            return JSON.writeValueAsBytes(stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BlendedList decode(byte[] bytes) {
        Stored stored;
        try {
            stored = JSON.readValue(bytes, Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<SourceId, String> versions = new LinkedHashMap<>();
        stored.modelVersions().forEach((source, version) -> versions.put(SourceId.of(source), version));
        return new BlendedList(stored.version(), stored.items().stream().map(BlendedListCodec::item).toList(),
                                   stored.sources().stream().map(BlendedListCodec::report).toList(),
                                   stored.partial(), stored.degraded() == null ? null
                                                                              : Degradation.valueOf(stored.degraded()),
                                   versions, stored.reranked() == null ? null : report(stored.reranked()));
    }

    private static Item item(RankedItem item) {
        CatalogItem d = item.details();
        return new Item(item.itemId(), item.score(), item.sources().stream().map(SourceId::name).toList(), item.reasons(),
                        d == null ? null : new Details(d.title(), d.category(), d.brand(), d.price(), d.inStock(),
                                                       d.embedding() == null ? null : d.embedding().values()));
    }

    private static RankedItem item(Item item) {
        Details d = item.details();
        return new RankedItem(item.id(), item.score(), item.sources().stream().map(SourceId::of).toList(), item.reasons(),
                              d == null ? null : new CatalogItem(item.id(), d.title(), d.category(), d.brand(), d.price(),
                                                                 d.inStock(), d.embedding() == null ? null
                                                                                                    : new Embedding(d.embedding())));
    }

    private static Report report(SourceReport report) {
        return new Report(report.source().name(), report.status().name(), report.latency().toNanos() / 1_000,
                          report.count());
    }

    private static SourceReport report(Report report) {
        return new SourceReport(SourceId.of(report.source()), SourceStatus.valueOf(report.status()),
                                Duration.ofNanos(report.latencyMicros() * 1_000), report.count());
    }
}
