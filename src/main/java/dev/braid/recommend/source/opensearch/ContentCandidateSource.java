package dev.braid.recommend.source.opensearch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.braid.opensearch.BoundedCall;
import dev.braid.opensearch.OpenSearchFailure;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.UserHistory;

import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Like;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * Candidates that resemble what the user recently interacted with: a {@code more_like_this} query over the text and the
 * category and brand of those items, in stock, without the items themselves and without the request's exclusions.
 * Without a history (anonymous, new, or Redis unavailable) it proposes the popular in-stock items instead.
 *
 * <p>Its candidates carry no reason of their own: a similar one names the user's newest recent item as its
 * {@link Candidate#anchor() anchor}, which the explain step renders ("because you viewed <i>its title</i>"); a popular
 * one has no anchor. The query blends all recent items into one, so the newest stands for them: it is what the user
 * remembers best, and one anchor per candidate would cost a query per recent item.
 *
 * <p>Calls are {@link BoundedCall}s: they never outlive the time left.
 */
public final class ContentCandidateSource implements CandidateSource {
    static final List<String> FIELDS = List.of("title", "description", "category", "brand");

    private final ContentConfig config;
    private final OpenSearchAsyncClient client;
    private final UserHistory history;

    public ContentCandidateSource(ContentConfig config, OpenSearchClient client, UserHistory history) {
        this.config = config;
        this.client = BoundedCall.async(client);
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
        SearchResponse<Void> response = search(request, limit);
        String anchor = recent.isEmpty() ? null : recent.getFirst();
        List<Candidate> candidates = new ArrayList<>(response.hits().hits().size());
        for (Hit<Void> hit : response.hits().hits()) {
            if (hit.id() != null && candidates.size() < query.limit()) {
                candidates.add(new Candidate(hit.id(), score(hit, recent.isEmpty()), null, anchor));
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
                .trackTotalHits(t -> t.enabled(false)).timeout(BoundedCall.millis(limit))
                .query(q -> q.bool(b -> b.must(moreLikeThis).filter(inStock()).mustNot(ids(unwanted)))));
    }

    private SearchRequest popular(int size, Set<String> unwanted, Duration limit) {
        return SearchRequest.of(s -> s.index(config.index()).size(size).source(src -> src.fetch(false))
                .trackTotalHits(t -> t.enabled(false)).timeout(BoundedCall.millis(limit))
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

    private SearchResponse<Void> search(SearchRequest request, Duration limit) {
        try {
            return BoundedCall.run(client, limit, "search", null, async -> async.search(request, Void.class));
        } catch (OpenSearchFailure e) {
            throw failure(e);
        }
    }

    /** Maps how the call failed onto the source outcomes: retry may fix network trouble, 5xx and 429, nothing else. */
    SourceException failure(Throwable e) {
        OpenSearchFailure failure = BoundedCall.classify(e);
        String message = id() + " " + failure.getMessage();
        return switch (failure.kind()) {
            case TIMEOUT -> new SourceException(SourceStatus.TIMEOUT, message, failure);
            case TRANSIENT -> SourceException.transientError(message, failure);
            case THROTTLED -> SourceException.throttled(message, null, failure);
            case REJECTED, ERROR -> new SourceException(SourceStatus.ERROR, message, failure);
        };
    }
}
