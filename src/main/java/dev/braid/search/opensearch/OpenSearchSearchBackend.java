package dev.braid.search.opensearch;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.braid.catalog.CatalogConfig;
import dev.braid.opensearch.BoundedCall;
import dev.braid.opensearch.OpenSearchFailure;
import dev.braid.resilience.DownstreamPolicy;
import dev.braid.search.Affinities;
import dev.braid.search.FacetCount;
import dev.braid.search.FeedRequest;
import dev.braid.search.FeedResult;
import dev.braid.search.SearchBackend;
import dev.braid.search.SearchConfig;
import dev.braid.search.SearchFilters;
import dev.braid.search.SearchItem;
import dev.braid.search.SearchQuery;
import dev.braid.search.SearchResult;
import dev.braid.search.SearchTier;
import dev.braid.search.SearchUnavailableException;
import dev.braid.search.SnapshotRefusedException;
import dev.braid.search.Spelling;
import dev.braid.token.InvalidCursorException;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.core.search.TotalHitsRelation;

/** Searches and feeds on the catalog alias, every call a {@link BoundedCall}. */
public final class OpenSearchSearchBackend implements SearchBackend {
    /** How this backend's calls fail, for the guard: network trouble, 5xx and 429 may pass on a retry. */
    public static final DownstreamPolicy.Failures FAILURES = new DownstreamPolicy.Failures() {
        @Override
        public boolean retryable(Throwable failure) {
            return BoundedCall.classify(failure).retryable();
        }

        @Override
        public Optional<Duration> retryAfter(Throwable failure) {
            return Optional.empty();
        }

        @Override
        public String outcome(Throwable failure) {
            return BoundedCall.classify(failure).kind() == OpenSearchFailure.Kind.TIMEOUT ? "timeout" : "error";
        }

        /** A declined point in time is the cluster's limit speaking, not its health. */
        @Override
        public boolean counts(Throwable failure) {
            return !(failure instanceof SnapshotRefusedException);
        }
    };

    private final OpenSearchAsyncClient client;
    private final CatalogConfig catalog;
    private final SearchRequests requests;

    public OpenSearchSearchBackend(OpenSearchClient client, CatalogConfig catalog, SearchConfig config) {
        this.client = BoundedCall.async(client);
        this.catalog = catalog;
        this.requests = new SearchRequests(catalog.index(), catalog.routingOrNull(), config);
    }

    /** A catalog document as far as searches render it; absent fields were not asked for. */
    record Document(@JsonProperty("item_id") String itemId, @JsonProperty("title") String title,
                    @JsonProperty("description") String description, @JsonProperty("category") String category,
                    @JsonProperty("brand") String brand, @JsonProperty("price") BigDecimal price,
                    @JsonProperty("popularity") Double popularity, @JsonProperty("published_at") String publishedAt,
                    @JsonProperty("in_stock") Boolean inStock) {
    }

    @Override
    public SearchResult search(SearchQuery query, Affinities affinities, List<Object> after, SearchTier tier,
                               Spelling spelling, Duration limit) {
        SearchResponse<Document> response = run(requests.search(query, affinities, after, tier, spelling), limit);
        List<Hit<Document>> hits = response.hits().hits();
        boolean more = hits.size() > query.size();
        List<Hit<Document>> page = more ? hits.subList(0, query.size()) : hits;
        var total = response.hits().total();
        Map<String, List<FacetCount>> facets = new LinkedHashMap<>();
        for (String facet : SearchFilters.FACETS) {
            Aggregate aggregate = response.aggregations().get(facet);
            if (aggregate != null && aggregate.isFilter()) {
                Aggregate values = aggregate.filter().aggregations().get(SearchRequests.FACET_VALUES);
                List<FacetCount> counts = new ArrayList<>();
                for (StringTermsBucket bucket : values.sterms().buckets().array()) {
                    counts.add(new FacetCount(bucket.key(), bucket.docCount()));
                }
                facets.put(facet, counts);
            }
        }
        return new SearchResult(items(page), total == null ? page.size() : total.value(),
                                total != null && total.relation() == TotalHitsRelation.Eq, facets,
                                more ? after(page.getLast()) : null);
    }

    @Override
    public String openSnapshot(Duration keepAlive, Duration limit) {
        try {
            return BoundedCall.run(client, limit, "create_pit", catalog.index(), async -> async.createPit(p -> {
                p.index(catalog.index()).keepAlive(t -> t.time(BoundedCall.millis(keepAlive)));
                if (catalog.routingOrNull() != null) {
                    p.routing(catalog.routingOrNull());
                }
                return p;
            })).pitId();
        } catch (OpenSearchFailure e) {
            if (e.kind() == OpenSearchFailure.Kind.THROTTLED || tooManyContexts(e)) {
                throw new SnapshotRefusedException("OpenSearch declined another point in time: " + e.getMessage(), e);
            }
            throw new SearchUnavailableException("OpenSearch " + e.getMessage(), e);
        }
    }

    /** OpenSearch answers its open-context limit with a 429 or, in some versions, a 500 naming the limit. */
    private static boolean tooManyContexts(OpenSearchFailure failure) {
        String message = String.valueOf(failure.getMessage());
        return message.contains("too many") || message.contains("max_open_pit_context")
               || message.contains("Point In Time contexts");
    }

    @Override
    public FeedResult feed(FeedRequest request, Duration keepAlive, Duration limit) {
        SearchResponse<Document> response;
        try {
            response = run(requests.feed(request, keepAlive), limit);
        } catch (SearchUnavailableException e) {
            if (request.ranked() && e.getCause() instanceof OpenSearchFailure failure
                && failure.kind() == OpenSearchFailure.Kind.REJECTED && failure.status() == 404) {
                throw new InvalidCursorException("expired (the feed's snapshot is gone); start again without it");
            }
            throw e;
        }
        List<Hit<Document>> hits = response.hits().hits();
        boolean more = hits.size() > request.size();
        List<Hit<Document>> page = more ? hits.subList(0, request.size()) : hits;
        String snapshot = request.ranked() ? (response.pitId() == null ? request.snapshot() : response.pitId()) : null;
        return new FeedResult(items(page), more ? after(page.getLast()) : null, snapshot);
    }

    private SearchResponse<Document> run(SearchRequest request, Duration limit) {
        return call(limit, async -> async.search(request, Document.class));
    }

    private <T> T call(Duration limit, BoundedCall.Call<T> call) {
        try {
            return BoundedCall.run(client, limit, "search", catalog.index(), call);
        } catch (OpenSearchFailure e) {
            throw new SearchUnavailableException("OpenSearch " + e.getMessage(), e);
        }
    }

    private static List<SearchItem> items(List<Hit<Document>> hits) {
        List<SearchItem> items = new ArrayList<>(hits.size());
        for (Hit<Document> hit : hits) {
            Document d = hit.source();
            if (d != null) {
                items.add(new SearchItem(hit.id(), d.title(), d.description(), d.category(), d.brand(), d.price(),
                                         d.popularity(), instant(d.publishedAt()), d.inStock()));
            }
        }
        return items;
    }

    /** The sort values of the last hit served, as the cursor keeps them. */
    private static List<Object> after(Hit<Document> last) {
        List<Object> values = new ArrayList<>(last.sort().size());
        for (FieldValue value : last.sort()) {
            if (value.isString()) {
                values.add(value.stringValue());
            } else if (value.isLong()) {
                values.add(value.longValue());
            } else if (value.isDouble()) {
                values.add(value.doubleValue());
            } else if (value.isBoolean()) {
                values.add(value.booleanValue());
            } else {
                throw new SearchUnavailableException("OpenSearch sent a sort value that cannot continue a page: " + value,
                                                     null);
            }
        }
        return values;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
