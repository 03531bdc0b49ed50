package dev.braid.search;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.OpenSearchClients;
import dev.braid.TestConfigs;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/search} and {@code /v1/feed} through the whole service, against a real OpenSearch node behind a fault
 * proxy: filters, facets, sorts, fields, pagination, cursors, and what the caller gets when OpenSearch struggles.
 */
@ExtendWith(OpenSearchExtension.class)
class SearchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ALIAS = "catalog-search";
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(1_000, 23);

    private static FaultProxy proxy;
    private static OpenSearchClient direct;
    private static Braid braid;

    @BeforeAll
    static void start(EmbeddedOpenSearch openSearch) {
        DemoCatalogLoader.load(openSearch.uri(), ALIAS, ITEMS);
        direct = OpenSearchClients.create(new OpenSearchConfig(openSearch.uri(), "", "", new HttpClientConfig(
                Duration.ofSeconds(2), Duration.ofSeconds(30), 4, Duration.ofSeconds(5))));
        proxy = FaultProxy.start("opensearch", new InetSocketAddress("127.0.0.1", openSearch.httpPort()), 0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("opensearch.url", "http://127.0.0.1:" + proxy.port());
        overrides.put("catalog.index", ALIAS);
        overrides.put("catalog.timeout", "500ms");
        overrides.put("search.cursor-secret", "search-it-secret-0123456789");
        // Fails OpenSearch on purpose, test after test: the breaker is FaultMatrixIT's subject, not this one's.
        overrides.put("search.guard.breaker.volume", "100000");
        overrides.put("search.feed-guard.breaker.volume", "100000");
        // Every request here is the one loopback caller: its own breaker would carry one test's faults into the next.
        overrides.put("search.guard.breaker.caller-failures", "0");
        overrides.put("search.feed-guard.breaker.caller-failures", "0");
        // A loaded CI machine: the healthy path must not degrade because a GC paused it.
        overrides.put("search.budget", "2s");
        overrides.put("search.guard.timeout", "1500ms");
        overrides.put("search.feed-guard.timeout", "1500ms");
        overrides.put("search.simplified-timeout", "300ms");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterAll
    static void stop() throws IOException {
        braid.stop();
        proxy.close();
        direct._transport().close();
    }

    @AfterEach
    void heal() {
        proxy.reset();
    }

    @Test
    void filtersNarrowAndFacetsCountEveryFilterButTheirOwn() throws Exception {
        String category = ITEMS.getFirst().category();
        JsonNode body = ok("/v1/search?filter.category=" + encode(category) + "&size=100&price_max=200");

        Predicate<DemoCatalog.Item> matching = item -> item.category().equals(category) && item.price() <= 200;
        assertThat(body.get("total").asLong()).isEqualTo(ITEMS.stream().filter(matching).count());
        assertThat(body.get("items")).allSatisfy(item -> {
            assertThat(item.get("category").asText()).isEqualTo(category);
            assertThat(item.get("price").decimalValue()).isLessThanOrEqualTo(new java.math.BigDecimal("200"));
        });
        // The category facet ignores the category filter (its siblings stay visible), not the price filter.
        Map<String, Long> categories = facet(body, "category");
        Map<String, Long> expectedCategories = ITEMS.stream().filter(item -> item.price() <= 200)
                .collect(Collectors.groupingBy(DemoCatalog.Item::category, Collectors.counting()));
        assertThat(categories.size()).isGreaterThan(1);
        categories.forEach((value, count) -> assertThat(count).isEqualTo(expectedCategories.get(value)));
        // The brand facet is counted within the selected category.
        Map<String, Long> expectedBrands = ITEMS.stream().filter(matching)
                .collect(Collectors.groupingBy(DemoCatalog.Item::brand, Collectors.counting()));
        facet(body, "brand").forEach((value, count) -> assertThat(count).isEqualTo(expectedBrands.get(value)));
        assertThat(body.get("degraded").isNull()).isTrue();
    }

    @Test
    void theWordsAsWrittenComeFirstAndATypoIsForgivenOnlyWhenTheyFindNothing() throws Exception {
        // "sneaker" is one letter from "speaker": forgiven typos would list and count the speakers.
        JsonNode exact = ok("/v1/search?q=sneaker&size=100&fields=title,category");
        long sneakers = ITEMS.stream().filter(item -> (item.title() + " " + item.description()).toLowerCase()
                .contains("sneaker")).count();
        assertThat(sneakers).isPositive();
        assertThat(exact.get("total").asLong()).isEqualTo(sneakers);
        assertThat(exact.get("items")).isNotEmpty().allSatisfy(item -> assertThat(item.get("title").asText())
                .doesNotContainIgnoringCase("speaker"));
        assertThat(facet(exact, "category")).doesNotContainKey("speakers");

        // Misspelt, nothing matches as written: then the typo is forgiven, and a walk of its pages keeps forgiving it.
        List<JsonNode> forgiven = walk("/v1/search?q=sneakr&fields=title", 3);
        assertThat(forgiven).isNotEmpty().anySatisfy(item -> assertThat(item.get("title").asText())
                .containsIgnoringCase("sneaker"));
        assertThat(forgiven.stream().map(item -> item.get("item_id").asText()).distinct()).hasSize(forgiven.size());
    }

    @Test
    void anEmptySearchBoxBrowsesWhatTheFiltersLetThrough() throws Exception {
        String category = ITEMS.get(5).category();
        JsonNode browsed = ok("/v1/search?q=&filter.category=" + encode(category) + "&size=5");

        assertThat(browsed.get("total").asLong()).isEqualTo(ITEMS.stream().filter(i -> i.category().equals(category))
                                                                    .count());
        assertThat(ok("/v1/search?q=%20%20&filter.category=" + encode(category)).get("total").asLong())
                .isEqualTo(browsed.get("total").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"newest", "popular", "price_asc", "price_desc"})
    void everySortOrdersTheWholeListAndEndsWithTheItemId(String sort) throws Exception {
        List<JsonNode> walked = walk("/v1/search?sort=" + sort + "&fields=price,popularity,published_at", 40);
        Comparator<JsonNode> byItemId = Comparator.comparing(item -> item.get("item_id").asText());
        Comparator<JsonNode> order = switch (sort) {
            case "newest" -> Comparator.<JsonNode, Instant>comparing(item -> Instant.parse(item.get("published_at").asText()))
                    .reversed().thenComparing(byItemId);
            case "popular" -> Comparator.<JsonNode>comparingDouble(item -> item.get("popularity").asDouble()).reversed()
                    .thenComparing(byItemId);
            case "price_asc" -> Comparator.<JsonNode>comparingDouble(item -> item.get("price").asDouble())
                    .thenComparing(byItemId);
            default -> Comparator.<JsonNode>comparingDouble(item -> item.get("price").asDouble()).reversed()
                    .thenComparing(byItemId);
        };
        assertThat(walked).hasSize(ITEMS.size()).isSortedAccordingTo(order);
    }

    @Test
    void pagingThroughAThousandItemsSevenAtATimeServesEachExactlyOnce() throws Exception {
        List<JsonNode> walked = walk("/v1/search?sort=relevance", 7);
        List<String> ids = walked.stream().map(item -> item.get("item_id").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSize(ITEMS.size())
                .containsExactlyInAnyOrderElementsOf(DemoCatalog.itemIds(ITEMS.size()));
    }

    @Test
    void fieldsChooseWhatEachItemCarries() throws Exception {
        JsonNode body = ok("/v1/search?q=" + encode(ITEMS.getFirst().title()) + "&fields=title,brand");
        assertThat(body.get("items")).isNotEmpty().allSatisfy(item -> assertThat(names(item))
                .containsExactly("item_id", "title", "brand"));
        assertThat(body.at("/items/0/item_id").asText()).isEqualTo(ITEMS.getFirst().itemId());

        HttpResponse<String> unknown = get("/v1/search?fields=title,secret_margin");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/invalid_params/0/name").asText()).isEqualTo("fields");
    }

    @ParameterizedTest
    @ValueSource(strings = {"title:(shoes) AND *", "\"unbalanced", "a OR b~ AND c^3 /regex/ [x TO y] {", "\\", "+-&&||!(){}[]^\"~*?:\\/",
                            "<script>alert(1)</script>", "ünïcödé 漢字 🚀"})
    void luceneSyntaxInTheQueryIsJustText(String q) throws Exception {
        HttpResponse<String> response = get("/v1/search?q=" + encode(q));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("degraded").isNull()).isTrue();
    }

    @Test
    void anOverlongQueryIsRefusedAsBadInputNamingIt() throws Exception {
        HttpResponse<String> named = get("/v1/search?q=" + encode("shoe ".repeat(200)));
        assertThat(named.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(named.body()).at("/invalid_params/0/name").asText()).isEqualTo("q");
    }

    @Test
    void aTenKilobyteQueryIsRefusedAsBadInput() throws Exception {
        HttpResponse<String> response = get("/v1/search?q=" + encode("shoe ".repeat(2_048)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("q takes at most 512 characters");
    }

    @Test
    void badParametersAreNamed() throws Exception {
        Map<String, String> cases = Map.of(
                "/v1/search?sort=cheapest", "sort",
                "/v1/search?size=0", "size",
                "/v1/search?filter.colour=red", "filter.colour",
                "/v1/search?price_min=50&price_max=10", "price_min",
                "/v1/search?price_min=abc", "price_min",
                "/v1/feed?size=101", "size");
        for (var entry : cases.entrySet()) {
            HttpResponse<String> response = get(entry.getKey());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).at("/invalid_params/0/name").asText()).as(entry.getKey())
                    .isEqualTo(entry.getValue());
        }
    }

    @Test
    void aTamperedOrForeignCursorIsABadRequest() throws Exception {
        String cursor = ok("/v1/search?size=5&sort=newest").get("next_cursor").asText();
        String feedCursor = ok("/v1/feed?size=5").get("next_cursor").asText();
        // One character of the payload changed: still well-formed base64, but no longer what was signed.
        int at = cursor.length() / 2;
        String tampered = cursor.substring(0, at) + (cursor.charAt(at) == 'A' ? 'B' : 'A') + cursor.substring(at + 1);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/v1/search?size=5&sort=newest&cursor=" + tampered, "tampered");
        cases.put("/v1/search?size=5&sort=newest&cursor=" + feedCursor, "/v1/feed");
        cases.put("/v1/feed?size=5&cursor=" + cursor, "/v1/search");
        cases.put("/v1/search?size=5&sort=price_asc&cursor=" + cursor, "another query");
        cases.put("/v1/search?size=5&sort=newest&user=u2&cursor=" + cursor, "another query");
        cases.put("/v1/search?cursor=not-a-cursor", "malformed");
        for (var entry : cases.entrySet()) {
            HttpResponse<String> response = get(entry.getKey());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.at("/invalid_params/0/name").asText()).isEqualTo("cursor");
            assertThat(problem.get("detail").asText()).as(entry.getKey()).contains(entry.getValue());
        }
    }

    @Test
    void theFeedNeverRepeatsOrSkipsAnItemWhileNewItemsAreIndexed() throws Exception {
        Instant started = Instant.now();
        Set<String> expected = ITEMS.stream().filter(DemoCatalog.Item::inStock).map(DemoCatalog.Item::itemId)
                .collect(Collectors.toSet());
        List<String> served = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok("/v1/feed?user=u7&size=7" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("degraded").isNull()).as("page %d", pages).isTrue();
            page.get("items").forEach(item -> served.add(item.get("item_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
            if (pages == 10) {
                // Mid-walk: new items, published long ago (so only the snapshot keeps them out), and a reshuffle of
                // popularity (so only the snapshot keeps the ranking still).
                changeCatalog(started, true);
            }
        } while (cursor != null && pages < 300);
        changeCatalog(started, false);

        assertThat(served).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(served).noneMatch(id -> id.startsWith("late-"));
    }

    @Test
    void aSearchsTagCoversEverythingThatShapesItsBody() throws Exception {
        String search = "/v1/search?q=" + encode(ITEMS.get(3).category());
        HttpResponse<String> titles = get(search + "&size=5&fields=title");
        String tag = titles.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> prices = get(search + "&size=5&fields=price", Map.of("If-None-Match", tag));
        assertThat(prices.statusCode()).as("other fields, another body: not a 304").isEqualTo(200);
        assertThat(prices.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(tag));
        assertThat(get(search + "&size=6&fields=title", Map.of("If-None-Match", tag)).statusCode()).isEqualTo(200);
        // The same request again is the same body, though its next cursor is sealed anew.
        assertThat(get(search + "&size=5&fields=title", Map.of("If-None-Match", tag)).statusCode()).isEqualTo(304);
    }

    @Test
    void walksStartedTogetherShareOnePointInTime() throws Exception {
        String first = ok("/v1/feed?size=100").get("next_cursor").asText();
        int open = openPits();
        List<String> cursors = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cursors.add(ok("/v1/feed?user=walker-" + i + "&size=10").get("next_cursor").asText());
        }
        assertThat(openPits()).as("twenty more walks, no more points in time").isEqualTo(open);
        // Each still walks to its end on it.
        String cursor = first;
        while (cursor != null) {
            JsonNode page = ok("/v1/feed?size=100&cursor=" + cursor);
            assertThat(page.get("degraded").isNull()).isTrue();
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        }
        assertThat(ok("/v1/feed?user=walker-3&size=10&cursor=" + cursors.get(3)).get("degraded").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hang", "down", "error"})
    void whenOpenSearchFailsSearchAnswersFromMemory(String fault) throws Exception {
        JsonNode healthy = ok("/v1/search?q=" + encode(ITEMS.get(5).title()) + "&size=5");
        assertThat(healthy.get("degraded").isNull()).isTrue();

        proxy.mode(FaultMode.parse(fault), Duration.ZERO, Duration.ZERO);
        long started = System.nanoTime();
        JsonNode again = ok("/v1/search?q=" + encode(ITEMS.get(5).title()) + "&size=5");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(again.get("degraded").asText()).isEqualTo("cached");
        assertThat(again.get("items")).isEqualTo(healthy.get("items"));
        assertThat(took).isLessThan(Duration.ofSeconds(2).plusMillis(500));

        JsonNode neverAsked = ok("/v1/search?filter.category=" + encode(ITEMS.get(9).category()) + "&size=5");
        assertThat(neverAsked.get("degraded").asText()).isEqualTo("cached");
        assertThat(neverAsked.get("items")).isNotEmpty().allSatisfy(item -> assertThat(item.get("category").asText())
                .isEqualTo(ITEMS.get(9).category()));

        JsonNode feed = ok("/v1/feed?user=u3&size=5");
        assertThat(feed.get("degraded").asText()).isEqualTo("cached");
        assertThat(feed.get("items")).hasSize(5);
    }

    @Test
    void aFeedPageThatCannotBeReadHandsTheSameCursorBack() throws Exception {
        JsonNode first = ok("/v1/feed?size=5");
        String cursor = first.get("next_cursor").asText();
        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        JsonNode failed = ok("/v1/feed?size=5&cursor=" + cursor);
        assertThat(failed.get("degraded").asText()).isEqualTo("cached");
        assertThat(failed.get("items")).isEmpty();
        assertThat(failed.get("next_cursor").asText()).isEqualTo(cursor);

        proxy.reset();
        JsonNode resumed = ok("/v1/feed?size=5&cursor=" + cursor);
        assertThat(resumed.get("degraded").isNull()).isTrue();
        assertThat(ids(resumed)).hasSize(5).doesNotContainAnyElementsOf(ids(first));
    }

    /** Adds late items and reshuffles popularity, or ({@code !apply}) undoes both for the other tests. */
    private static void changeCatalog(Instant started, boolean apply) throws IOException {
        List<BulkOperation> operations = new ArrayList<>();
        for (int i = 0; i < 50 && !apply; i++) {
            String id = "late-" + i;
            operations.add(BulkOperation.of(op -> op.delete(d -> d.index(ALIAS).id(id))));
        }
        for (int i = 0; i < 50 && apply; i++) {
            DemoCatalog.Item template = ITEMS.get(i);
            Map<String, Object> late = new LinkedHashMap<>();
            late.put("item_id", "late-" + i);
            late.put("title", template.title());
            late.put("category", template.category());
            late.put("brand", template.brand());
            late.put("price", template.price());
            late.put("popularity", 100_000.0);
            late.put("published_at", started.minus(Duration.ofDays(1)).toString());
            late.put("in_stock", true);
            operations.add(BulkOperation.of(op -> op.index(ix -> ix.index(ALIAS).id((String) late.get("item_id"))
                    .document(late))));
        }
        for (int i = 500; i < 550; i++) {
            String id = ITEMS.get(i).itemId();
            double popularity = apply ? 50_000.0 : ITEMS.get(i).popularity();
            operations.add(BulkOperation.of(op -> op.update(u -> u.index(ALIAS).id(id)
                    .document(Map.of("popularity", popularity)))));
        }
        BulkResponse response = direct.bulk(b -> b.operations(operations).refresh(
                org.opensearch.client.opensearch._types.Refresh.True));
        assertThat(response.errors()).isFalse();
    }

    private static int openPits() throws IOException {
        return direct.getAllPits().pits().size();
    }

    /** Follows next_cursor from {@code path} to the end; every page must be a full answer. */
    private static List<JsonNode> walk(String path, int size) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(path + "&size=" + size + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("degraded").isNull()).isTrue();
            page.get("items").forEach(items::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null && ++pages < 1_000);
        return items;
    }

    private static Map<String, Long> facet(JsonNode body, String name) {
        Map<String, Long> counts = new LinkedHashMap<>();
        body.at("/facets/" + name).forEach(bucket -> counts.put(bucket.get("value").asText(), bucket.get("count").asLong()));
        return counts;
    }

    private static List<String> names(JsonNode item) {
        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> ids(JsonNode page) {
        Set<String> ids = new HashSet<>();
        page.get("items").forEach(item -> ids.add(item.get("item_id").asText()));
        return ids;
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return get(path, Map.of());
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
