package dev.braid.catalog.opensearch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogConfig;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.CatalogUnavailableException;
import dev.braid.catalog.Embedding;
import dev.braid.opensearch.BoundedCall;
import dev.braid.opensearch.OpenSearchFailure;
import dev.braid.resilience.Deadline;

import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch.core.MgetResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.get.GetResult;
import org.opensearch.client.opensearch.core.mget.MultiGetResponseItem;

/**
 * Catalog lookups against the catalog alias, reading only the fields the API renders and the embedding that blending
 * compares items by: one {@code mget} per page of ids. Every call is a {@link BoundedCall}, so none outlives the
 * deadline.
 */
public final class OpenSearchCatalog implements Catalog {
    /** What a lookup reads of {@code _source}: never the description, which nothing here renders. */
    static final List<String> SOURCE_FIELDS =
            List.of("item_id", "title", "category", "brand", "price", "in_stock", "embedding");

    private final OpenSearchAsyncClient client;
    private final CatalogConfig config;

    public OpenSearchCatalog(OpenSearchClient client, CatalogConfig config) {
        this.client = BoundedCall.async(client);
        this.config = config;
    }

    /**
     * The indexed document, as far as the API renders it and blending needs it. The embedding is read as a tree so that
     * a malformed one costs only itself, not the lookup of the page.
     */
    record Document(@JsonProperty("item_id") String itemId, @JsonProperty("title") String title,
                    @JsonProperty("category") String category, @JsonProperty("brand") String brand,
                    @JsonProperty("price") BigDecimal price, @JsonProperty("in_stock") Boolean inStock,
                    @JsonProperty("embedding") JsonNode embedding) {
    }

    @Override
    public Map<String, CatalogItem> items(Collection<String> ids, Deadline deadline) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        MgetResponse<Document> response = call("catalog lookup", "mget", deadline.cap(config.timeout()),
                async -> async.mget(m -> m.index(config.index()).ids(List.copyOf(ids)).routing(config.routingOrNull())
                        .sourceIncludes(SOURCE_FIELDS), Document.class));
        Map<String, CatalogItem> found = new HashMap<>();
        for (MultiGetResponseItem<Document> item : response.docs()) {
            if (item.isResult()) {
                GetResult<Document> result = item.result();
                if (result.found() && result.source() != null) {
                    found.put(result.id(), toItem(result.id(), result.source()));
                }
            }
        }
        return found;
    }

    @Override
    public List<CatalogItem> popular(int n, Deadline deadline) {
        if (n <= 0) {
            return List.of();
        }
        SearchResponse<Document> response = call("popular items lookup", "search", deadline.remaining(),
                async -> async.search(s -> s.index(config.index()).size(n).routing(config.routingOrNull())
                                .source(source -> source.filter(f -> f.includes(SOURCE_FIELDS)))
                                .trackTotalHits(total -> total.enabled(false))
                                .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("in_stock")
                                        .value(FieldValue.TRUE)))))
                                .sort(o -> o.field(f -> f.field("popularity").order(SortOrder.Desc)))
                                .sort(o -> o.field(f -> f.field("item_id").order(SortOrder.Asc))),
                        Document.class));
        return response.hits().hits().stream().filter(hit -> hit.source() != null)
                .map(hit -> toItem(hit.id(), hit.source())).toList();
    }

    private <T> T call(String what, String operation, Duration limit, BoundedCall.Call<T> call) {
        if (!limit.isPositive()) {
            throw new CatalogUnavailableException("no time left for the " + what, null);
        }
        try {
            return BoundedCall.run(client, limit, operation, config.index(), call);
        } catch (OpenSearchFailure e) {
            throw new CatalogUnavailableException(what + " " + e.getMessage(), e);
        }
    }

    private static CatalogItem toItem(String id, Document document) {
        return new CatalogItem(id, document.title(), document.category(), document.brand(), document.price(),
                               document.inStock() == null || document.inStock(), embedding(document.embedding()));
    }

    /**
     * An array of 1..{@value Embedding#MAX_DIMENSIONS} finite numbers; anything else (absent, empty, a single number, a
     * string, a value beyond the float range) is no embedding: the item is then compared by category and brand.
     */
    static Embedding embedding(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > Embedding.MAX_DIMENSIONS) {
            return null;
        }
        float[] values = new float[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isNumber()) {
                return null;
            }
            values[i] = value.floatValue();
            if (!Float.isFinite(values[i])) {
                return null;
            }
        }
        return new Embedding(values);
    }
}
