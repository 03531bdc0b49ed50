package dev.braid.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.braid.observe.AnswerOutcome;
import dev.braid.search.FacetCount;
import dev.braid.search.ItemField;
import dev.braid.search.SearchPage;
import dev.braid.search.SearchPipeline;
import dev.braid.search.SearchQuery;
import dev.braid.search.SearchSort;
import dev.braid.search.SearchTier;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/search}: parse and validate, ask the search pipeline, write the page. */
public final class SearchService implements HttpService {
    /** Product searches are a few words; anything longer is not a search and is refused before it costs anything. */
    static final int MAX_QUERY_LENGTH = 512;
    private static final Pattern QUERY = Pattern.compile("(?s)[^\\p{Cntrl}]{1," + MAX_QUERY_LENGTH + "}");
    /** Anonymous full answers may be shared briefly; degraded ones for less, so the full answer returns soon. */
    private static final Duration SHARED_MAX_AGE = Duration.ofSeconds(30);
    private static final Duration DEGRADED_MAX_AGE = Duration.ofSeconds(5);

    private final SearchPipeline pipeline;

    public SearchService(SearchPipeline pipeline) {
        this.pipeline = pipeline;
    }

    record Body(List<Map<String, Object>> items, long total, boolean totalExact, Map<String, List<FacetCount>> facets,
                String nextCursor, String degraded) {
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/", this::search);
    }

    private void search(ServerRequest req, ServerResponse res) {
        QueryParameters query = new QueryParameters(req.query());
        SearchQuery search = parse(query);
        String cursor = query.text("cursor", FeedService.CURSOR, "must be a cursor from a previous answer");
        SearchPage page = pipeline.search(search, cursor);
        RequestContextFilter.notes(req).outcome(page.tier().degraded() == null ? AnswerOutcome.COMPLETE
                                                : AnswerOutcome.ofWireName(page.tier().degraded()));
        Body body = new Body(SearchItemJson.render(page.items(), search.fields()), page.total(), page.totalExact(),
                             page.facets(), page.nextCursor(), page.tier().degraded());
        String cacheControl = search.user() != null ? HttpCaching.personal()
                : HttpCaching.shared(page.tier() == SearchTier.FULL ? SHARED_MAX_AGE : DEGRADED_MAX_AGE);
        if (HttpCaching.answerIfNotModified(req, res, HttpCaching.weakEtag(meaning(body, cursor)), cacheControl)) {
            return;
        }
        Answers.json(req, res, Json.write(body));
    }

    /**
     * What the body means: all of it (items as rendered with their fields, totals, facets, tier) but the next cursor,
     * which is sealed with a fresh nonce every time and so would make every answer look new; whether there is one, and
     * the page it continues, are in.
     */
    private static byte[] meaning(Body body, String cursor) {
        Body stable = new Body(body.items(), body.total(), body.totalExact(), body.facets(),
                               body.nextCursor() == null ? null : "more", body.degraded());
        return Json.write(new Object[] {cursor, stable});
    }

    static SearchQuery parse(QueryParameters query) {
        // An empty q (a search box submitted empty) browses: everything that passes the filters.
        String text = query.textOrBlank("q", QUERY,
                                        "must be 1.." + MAX_QUERY_LENGTH + " characters without control characters");
        if (text != null && SearchQuery.words(text) > SearchQuery.MAX_WORDS) {
            throw new BadParameterException("q", "must be at most " + SearchQuery.MAX_WORDS + " words (was "
                                                 + SearchQuery.words(text) + ")");
        }
        String sortName = query.text("sort", Pattern.compile("[a-z_]{1,20}"), "must be one of " + sorts());
        SearchSort sort = sortName == null ? SearchSort.RELEVANCE : SearchSort.fromWire(sortName).orElseThrow(
                () -> new BadParameterException("sort", "must be one of " + sorts() + " (was '" + sortName + "')"));
        int size = query.integer("size", 20, 1, 100);
        Set<ItemField> fields = SearchParameters.fields(query, ItemField.DEFAULT);
        String user = query.text("user", RecommendationsService.USER,
                                 "must be 1..128 characters of letters, digits and . _ : @ -");
        return new SearchQuery(text, SearchParameters.filters(query), sort, size, fields, user);
    }

    private static String sorts() {
        return Arrays.stream(SearchSort.values()).map(SearchSort::wireName).collect(Collectors.joining(", "));
    }
}
