package dev.braid.recommend.source.opensearch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.UserHistory;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Like;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * Candidates that resemble what the user recently interacted with: a {@code more_like_this} query over the text and the
 * category and brand of those items, in stock, without the items themselves and without the request's exclusions.
 * Without a history (anonymous, new, or Redis unavailable) it proposes the popular in-stock items instead.
 *
 * <p>Calls go through the async client and the caller waits at most the call's time: the sync client of opensearch-java
 * 3.8.0 waits on the transport's future without a limit, and neither interrupting that wait nor cancelling the future
 * aborts the HTTP exchange. What bounds the exchange itself is the per-request response timeout, set to the same limit,
 * after which httpclient5 closes the connection and returns its pool slot.
 */
public final class ContentCandidateSource implements CandidateSource {
    static final List<String> FIELDS = List.of("title", "description", "category", "brand");
    static final String POPULAR = "popular";

    private final ContentConfig config;
    private final OpenSearchAsyncClient client;
    private final UserHistory history;

    public ContentCandidateSource(ContentConfig config, OpenSearchClient client, UserHistory history) {
        this.config = config;
        this.client = new OpenSearchAsyncClient(client._transport(), client._transportOptions());
        this.history = history;
    }

    @Override
    public SourceId id() {
        return config.id();
    }

    @Override
    public CandidateBatch fetch(CandidateQuery query) {
        String user = query.request().user();
        List<String> recent = user == null ? List.of() : history.recentItems(user, config.history());
        Duration limit = query.deadline().cap(config.timeout());
        if (!limit.isPositive()) {
            throw new SourceException(SourceStatus.TIMEOUT, id() + ": no time left for the search");
        }
        Set<String> unwanted = new LinkedHashSet<>(query.request().exclude());
        unwanted.addAll(recent);
        SearchRequest request = recent.isEmpty() ? popular(query.limit(), unwanted, limit)
                                                 : similar(recent, query.limit(), unwanted, limit);
        SearchResponse<Void> response = await(search(request, limit), limit);
        String reason = recent.isEmpty() ? POPULAR : "because you viewed " + recent.getFirst();
        List<Candidate> candidates = new ArrayList<>(response.hits().hits().size());
        for (Hit<Void> hit : response.hits().hits()) {
            if (hit.id() != null && candidates.size() < query.limit()) {
                candidates.add(new Candidate(hit.id(), score(hit, recent.isEmpty()), reason));
            }
        }
        return new CandidateBatch(candidates, null);
    }

    /** Items like {@code recent}: an alias is accepted as {@code _index} of a liked document (checked in the IT). */
    private SearchRequest similar(List<String> recent, int size, Set<String> unwanted, Duration limit) {
        List<Like> likes = recent.stream()
                .map(item -> Like.of(l -> l.document(d -> d.index(config.index()).id(item))))
                .toList();
        Query moreLikeThis = Query.of(q -> q.moreLikeThis(m -> m.fields(FIELDS).like(likes)
                // A handful of liked items: every term they share counts, even if it occurs once.
                .minTermFreq(1).minDocFreq(1).maxQueryTerms(50).minimumShouldMatch("1")));
        return SearchRequest.of(s -> s.index(config.index()).size(size).source(src -> src.fetch(false))
                .trackTotalHits(t -> t.enabled(false)).timeout(millis(limit))
                .query(q -> q.bool(b -> b.must(moreLikeThis).filter(inStock()).mustNot(ids(unwanted)))));
    }

    private SearchRequest popular(int size, Set<String> unwanted, Duration limit) {
        return SearchRequest.of(s -> s.index(config.index()).size(size).source(src -> src.fetch(false))
                .trackTotalHits(t -> t.enabled(false)).timeout(millis(limit))
                .query(q -> q.bool(b -> b.filter(inStock()).mustNot(ids(unwanted))))
                .sort(o -> o.field(f -> f.field("popularity").order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field("item_id").order(SortOrder.Asc))));
    }

    private static Query inStock() {
        return Query.of(q -> q.term(t -> t.field("in_stock").value(FieldValue.TRUE)));
    }

    private static Query ids(Set<String> ids) {
        return Query.of(q -> q.ids(i -> i.values(List.copyOf(ids))));
    }

    private static double score(Hit<Void> hit, boolean popular) {
        if (popular) {
            List<FieldValue> sort = hit.sort();
            return sort.isEmpty() || !sort.getFirst().isDouble() ? Double.NaN : sort.getFirst().doubleValue();
        }
        return hit.score() == null ? Double.NaN : hit.score();
    }

    private CompletableFuture<SearchResponse<Void>> search(SearchRequest request, Duration limit) {
        try {
            return client.withTransportOptions(limitedTo(limit)).search(request, Void.class);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /** Waits at most {@code limit}; on timeout or interrupt gives the exchange up (its response timeout ends it). */
    private SearchResponse<Void> await(CompletableFuture<SearchResponse<Void>> future, Duration limit) {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new SourceException(SourceStatus.TIMEOUT, id() + " did not answer within " + limit.toMillis() + "ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new SourceException(SourceStatus.TIMEOUT, id() + ": call abandoned, the request was cancelled", e);
        } catch (CancellationException e) {
            throw new SourceException(SourceStatus.TIMEOUT, id() + ": call cancelled", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause() == null ? e : e.getCause());
        }
    }

    /** Sorts a failure into what a retry may fix (network, 5xx, 429) and what it will not (other 4xx, bad bodies). */
    SourceException failure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OpenSearchException error) {
                return byStatus(error.status(), describe(error), error);
            }
            if (cause instanceof ResponseException error) {
                // OpenSearch sends no Retry-After, and the response holding headers is not public in opensearch-java 3.8.0.
                return byStatus(error.status(), describe(error), error);
            }
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                // The response timeout or the pool wait, both set to the call's limit: the call ran out of time.
                return new SourceException(SourceStatus.TIMEOUT, id() + " timed out: " + describe(cause), e);
            }
            if (cause instanceof ConnectException || cause instanceof SocketException
                || cause instanceof ConnectionClosedException) {
                return SourceException.transientError(id() + " unreachable: " + describe(cause), e);
            }
        }
        return new SourceException(SourceStatus.ERROR, id() + " failed: " + describe(e), e);
    }

    private SourceException byStatus(int status, String message, Throwable cause) {
        if (status == 429) {
            return SourceException.throttled(id() + " throttled: " + message, null, cause);
        }
        if (status >= 500) {
            return SourceException.transientError(id() + " answered " + status + ": " + message, cause);
        }
        return new SourceException(SourceStatus.ERROR, id() + " rejected the query (" + status + "): " + message, cause);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String millis(Duration limit) {
        return Math.max(1, limit.toMillis()) + "ms";
    }

    private static ApacheHttpClient5Options limitedTo(Duration limit) {
        Timeout timeout = Timeout.of(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        return ApacheHttpClient5Options.DEFAULT.toBuilder()
                .setRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout)
                                          .build())
                .build();
    }
}
