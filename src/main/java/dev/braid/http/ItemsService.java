package dev.braid.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.CatalogUnavailableException;
import dev.braid.resilience.Deadline;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/items/{item_id}}: one catalog item, or a 404 problem. */
public final class ItemsService implements HttpService {
    /** Catalog entries change rarely; shared caches may keep them a minute. */
    private static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final Catalog catalog;
    private final Duration budget;

    public ItemsService(Catalog catalog, Duration budget) {
        this.catalog = catalog;
        this.budget = budget;
    }

    record ItemBody(String itemId, String title, String category, String brand, java.math.BigDecimal price,
                    boolean inStock) {
        static ItemBody of(CatalogItem item) {
            return new ItemBody(item.itemId(), item.title(), item.category(), item.brand(), item.price(), item.inStock());
        }
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/{item_id}", this::item);
    }

    private void item(ServerRequest req, ServerResponse res) {
        String itemId = req.path().pathParameters().get("item_id");
        if (!RecommendationsService.ITEM_ID.matcher(itemId).matches()) {
            throw new BadParameterException("item_id", "item ids are 1..128 characters of letters, digits and . _ : -");
        }
        Map<String, CatalogItem> found;
        try {
            found = catalog.items(List.of(itemId), Deadline.after(budget));
        } catch (CatalogUnavailableException e) {
            throw new UnavailableProblem("the catalog cannot answer right now; retry shortly");
        }
        CatalogItem item = found.get(itemId);
        if (item == null) {
            throw new NotFoundProblem("no item '" + itemId + "' in the catalog");
        }
        ItemBody body = ItemBody.of(item);
        if (HttpCaching.answerIfNotModified(req, res, HttpCaching.weakEtag(body.toString()), HttpCaching.shared(MAX_AGE))) {
            return;
        }
        Answers.json(req, res, Json.write(body));
    }
}
