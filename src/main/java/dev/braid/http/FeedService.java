package dev.braid.http;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.braid.observe.AnswerOutcome;
import dev.braid.search.FeedPage;
import dev.braid.search.FeedPipeline;
import dev.braid.search.ItemField;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/feed}: one page of an infinite feed. */
public final class FeedService implements HttpService {
    static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_.-]{1,4096}");
    private static final Set<ItemField> DEFAULT_FIELDS = Set.of(ItemField.ITEM_ID, ItemField.TITLE, ItemField.CATEGORY,
                                                                ItemField.BRAND, ItemField.PRICE, ItemField.PUBLISHED_AT);

    private final FeedPipeline pipeline;

    public FeedService(FeedPipeline pipeline) {
        this.pipeline = pipeline;
    }

    record Body(List<Map<String, Object>> items, String nextCursor, String degraded) {
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/", this::feed);
    }

    private void feed(ServerRequest req, ServerResponse res) {
        QueryParameters query = new QueryParameters(req.query());
        String user = query.text("user", RecommendationsService.USER,
                                 "must be 1..128 characters of letters, digits and . _ : @ -");
        int size = query.integer("size", 20, 1, 100);
        Set<ItemField> fields = SearchParameters.fields(query, DEFAULT_FIELDS);
        String cursor = query.text("cursor", CURSOR, "must be a cursor from a previous answer");
        FeedPage page = pipeline.feed(user, size, fields, cursor);
        RequestContextFilter.notes(req).outcome(page.tier().degraded() == null ? AnswerOutcome.COMPLETE
                                                : AnswerOutcome.ofWireName(page.tier().degraded()));
        Body body = new Body(SearchItemJson.render(page.items(), fields), page.nextCursor(), page.tier().degraded());
        // Every page belongs to one walk (its cursor, its point in time): never shared, revalidated by its ETag.
        // All of the body but the next cursor (sealed with a fresh nonce each time), and the page it continues.
        Body stable = new Body(body.items(), body.nextCursor() == null ? null : "more", body.degraded());
        byte[] meaning = Json.write(new Object[] {user, cursor, stable});
        if (HttpCaching.answerIfNotModified(req, res, HttpCaching.weakEtag(meaning), HttpCaching.personal())) {
            return;
        }
        Answers.json(req, res, Json.write(body));
    }
}
