package dev.braid.catalog.opensearch;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogConfig;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.CatalogUnavailableException;
import dev.braid.resilience.Deadline;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.core.MgetResponse;
import org.opensearch.client.opensearch.core.get.GetResult;
import org.opensearch.client.opensearch.core.mget.MultiGetResponseItem;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;

/**
 * Catalog lookups as one {@code mget} against the catalog alias, reading only the fields the API renders.
 */
public final class OpenSearchCatalog implements Catalog {
    static final List<String> RENDERED_FIELDS = List.of("item_id", "title", "category", "brand", "price", "in_stock");

    private final OpenSearchClient client;
    private final CatalogConfig config;

    public OpenSearchCatalog(OpenSearchClient client, CatalogConfig config) {
        this.client = client;
        this.config = config;
    }

    /** The indexed document, as far as the API renders it. */
    record Document(@JsonProperty("item_id") String itemId, @JsonProperty("title") String title,
                    @JsonProperty("category") String category, @JsonProperty("brand") String brand,
                    @JsonProperty("price") BigDecimal price, @JsonProperty("in_stock") Boolean inStock) {
    }

    @Override
    public Map<String, CatalogItem> items(Collection<String> ids, Deadline deadline) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Duration left = deadline.cap(config.timeout());
        if (!left.isPositive()) {
            throw new CatalogUnavailableException("no time left for the catalog lookup", null);
        }
        MgetResponse<Document> response;
        try {
            response = client.withTransportOptions(limitedTo(left))
                    .mget(m -> m.index(config.index()).ids(List.copyOf(ids)).sourceIncludes(RENDERED_FIELDS), Document.class);
        } catch (IOException | RuntimeException e) {
            throw new CatalogUnavailableException("catalog lookup failed: " + e.getMessage(), e);
        }
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
    public List<String> popular(int n, Deadline deadline) {
        if (n <= 0) {
            return List.of();
        }
        Duration left = deadline.remaining();
        if (!left.isPositive()) {
            throw new CatalogUnavailableException("no time left for the popular items", null);
        }
        SearchResponse<Void> response;
        try {
            // Ids only: the item id is the document id, so no _source needs to be read or sent.
            response = client.withTransportOptions(limitedTo(left))
                    .search(s -> s.index(config.index()).size(n).source(source -> source.fetch(false))
                                    .trackTotalHits(total -> total.enabled(false))
                                    .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("in_stock")
                                            .value(FieldValue.TRUE)))))
                                    .sort(o -> o.field(f -> f.field("popularity").order(SortOrder.Desc)))
                                    .sort(o -> o.field(f -> f.field("item_id").order(SortOrder.Asc))),
                            Void.class);
        } catch (IOException | RuntimeException e) {
            throw new CatalogUnavailableException("popular items lookup failed: " + e.getMessage(), e);
        }
        return response.hits().hits().stream().map(Hit::id).toList();
    }

    private static CatalogItem toItem(String id, Document document) {
        return new CatalogItem(id, document.title(), document.category(), document.brand(), document.price(),
                               document.inStock() == null || document.inStock());
    }

    private static ApacheHttpClient5Options limitedTo(Duration left) {
        Timeout timeout = Timeout.of(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
        return ApacheHttpClient5Options.DEFAULT.toBuilder()
                .setRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout)
                                          .build())
                .build();
    }
}
