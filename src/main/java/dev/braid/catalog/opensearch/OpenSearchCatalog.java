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
