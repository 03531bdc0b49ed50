package dev.braid.http;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.events.Fingerprint;
import dev.braid.events.IdempotencyKey;
import dev.braid.redis.RedisEventSink;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisExtension;

import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of every endpoint, from an instance with a real Redis, a real OpenSearch catalog and the trending
 * simulator, match the OpenAPI document it serves: statuses, headers and bodies (see {@link DocumentedAnswers}); and
 * the document is valid OpenAPI 3.1 as swagger-parser reads it.
 */
@ExtendWith({RedisExtension.class, OpenSearchExtension.class})
class OpenApiBodiesIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALIAS = "catalog-openapi";
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(300, 53);
    private static final String ALL_FIELDS = "item_id,title,description,category,brand,price,popularity,published_at,"
                                             + "in_stock";

    private static TrendingSimulator trending;
    private static Braid braid;
    /** One item request per minute: the second is a 429. */
    private static Braid limited;
    private static DocumentedAnswers answers;
    private static String redisUri;

    @BeforeAll
    static void start(EmbeddedRedis redis, EmbeddedOpenSearch openSearch) throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), ALIAS, ITEMS);
        redisUri = redis.uri();
        trending = new TrendingSimulator(DemoCatalog.itemIds(ITEMS.size()), Duration.ofMillis(1)).start(0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("redis.url", redis.uri());
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", ALIAS);
        // A loaded CI machine: the healthy answers are the subject here, not degraded ones.
        overrides.put("catalog.timeout", "2s");
        overrides.put("surfaces.home.budget", "3s");
        overrides.put("sources.trending.timeout", "2s");
        overrides.put("search.budget", "2s");
        overrides.put("search.guard.timeout", "1500ms");
        overrides.put("search.simplified-timeout", "300ms");
        braid = Main.start(TestConfigs.local(overrides));
        limited = Main.start(TestConfigs.local(Map.of("redis.url", redis.uri(),
                                                      "sources.trending.url", trending.endpoint(),
                                                      "rate-limits.items.quota", "1",
                                                      "rate-limits.items.window", "60s")));
        answers = new DocumentedAnswers(ApiDocument.fetch(CLIENT, braid.apiPort()));
    }

    @AfterAll
    static void stop() {
        braid.stop();
        limited.stop();
        trending.close();
    }

    @Test
    void theServedDocumentIsValidOpenApi31InBothRepresentations() throws Exception {
        HttpResponse<String> yaml = get("/openapi", Map.of());
        HttpResponse<String> json = get("/openapi", Map.of("Accept", "application/openapi+json"));

        for (HttpResponse<String> representation : List.of(yaml, json)) {
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(representation.body(), null, options);

            assertThat(parsed.getMessages()).isEmpty();
            assertThat(parsed.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
            assertThat(parsed.getOpenAPI().getPaths()).hasSize(6);
        }
        answers.assertDocumented("GET", "/openapi", yaml);
        answers.assertDocumented("GET", "/openapi", json);
    }

    @Test
    void recommendationsForAUserPageByPageAndRevalidated() throws Exception {
        String path = "/v1/recommendations?user=u1&n=5";
        HttpResponse<String> first = get(path, Map.of("X-Country", "de", "Accept-Language", "de-DE,en;q=0.8",
                                                      "X-Request-Timeout", "2000", "X-Request-Id", "openapi-1"));
        answers.assertDocumented("GET", "/v1/recommendations", first);
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.get("items")).as(first.body()).hasSize(5);
        assertThat(body.get("sources_used")).isNotEmpty();
        assertThat(body.get("next_cursor").isTextual()).isTrue();

        HttpResponse<String> second = get(path + "&cursor=" + body.get("next_cursor").asText(), Map.of());
        answers.assertDocumented("GET", "/v1/recommendations", second);

        String etag = first.headers().firstValue("ETag").orElseThrow();
        answers.assertDocumented("GET", "/v1/recommendations", get(path, Map.of("If-None-Match", etag)));
        answers.assertDocumented("HEAD", "/v1/recommendations", head(path));
    }

    @Test
    void recommendationsForAnAnonymousVisitor() throws Exception {
        HttpResponse<String> response = get("/v1/recommendations?surface=home", Map.of("X-Anonymous-Id", "visitor-7"));

        answers.assertDocumented("GET", "/v1/recommendations", response);
        assertThat(JSON.readTree(response.body()).get("user").isNull()).isTrue();
    }

    @Test
    void aSearchPageWithFacetsAndTheNextOne() throws Exception {
        String category = ITEMS.getFirst().category();
        String path = "/v1/search?filter.category=" + encode(category) + "&price_min=1&size=5&fields=" + ALL_FIELDS;
        HttpResponse<String> first = get(path, Map.of());
        answers.assertDocumented("GET", "/v1/search", first);
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.get("degraded").isNull()).isTrue();
        assertThat(body.at("/facets/category")).isNotEmpty();
        assertThat(body.at("/facets/brand")).isNotEmpty();
        assertThat(body.at("/items/0/published_at").isTextual()).isTrue();

        HttpResponse<String> second = get(path + "&cursor=" + body.get("next_cursor").asText(), Map.of());
        answers.assertDocumented("GET", "/v1/search", second);
        answers.assertDocumented("GET", "/v1/search", get("/v1/search?q=" + encode(ITEMS.getFirst().title())
                                                          + "&user=u3&sort=newest", Map.of()));
        answers.assertDocumented("HEAD", "/v1/search", head(path));
    }

    @Test
    void feedPages() throws Exception {
        HttpResponse<String> first = get("/v1/feed?user=u2&size=4", Map.of());
        answers.assertDocumented("GET", "/v1/feed", first);
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.get("items")).hasSize(4);

        HttpResponse<String> second = get("/v1/feed?user=u2&size=4&fields=" + ALL_FIELDS + "&cursor="
                                          + body.get("next_cursor").asText(), Map.of());
        answers.assertDocumented("GET", "/v1/feed", second);
        answers.assertDocumented("GET", "/v1/feed", get("/v1/feed", Map.of()));
    }

    @Test
    void anItemItsRevalidationAndAnUnknownOne() throws Exception {
        String path = "/v1/items/" + ITEMS.getFirst().itemId();
        HttpResponse<String> item = get(path, Map.of());
        answers.assertDocumented("GET", "/v1/items/{item_id}", item);
        assertThat(JSON.readTree(item.body()).get("item_id").asText()).isEqualTo(ITEMS.getFirst().itemId());

        String etag = item.headers().firstValue("ETag").orElseThrow();
        answers.assertDocumented("GET", "/v1/items/{item_id}", get(path, Map.of("If-None-Match", etag)));
        answers.assertDocumented("HEAD", "/v1/items/{item_id}", head(path));

        HttpResponse<String> unknown = get("/v1/items/no-such-item", Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        answers.assertDocumented("GET", "/v1/items/{item_id}", unknown);
        answers.assertDocumented("HEAD", "/v1/items/{item_id}", head("/v1/items/no-such-item"));
    }

    @Test
    void eventsAcceptedAndRefused() throws Exception {
        String event = "{\"user\": \"u5\", \"item_id\": \"" + ITEMS.get(3).itemId() + "\", \"type\": \"%s\", \"ts\": \""
                       + Instant.now() + "\", \"value\": 4}";
        HttpResponse<String> accepted = post("{\"events\": [" + event.formatted("rating") + "]}", "application/json",
                                             Map.of("Idempotency-Key", "k-1"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        answers.assertDocumented("POST", "/v1/events", accepted);

        HttpResponse<String> replayed = post("{\"events\": [" + event.formatted("rating") + "]}", "application/json",
                                             Map.of("Idempotency-Key", "k-1"));
        assertThat(replayed.statusCode()).isEqualTo(202);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).contains("true");
        answers.assertDocumented("POST", "/v1/events", replayed);

        HttpResponse<String> reused = post("{\"events\": [" + event.formatted("click") + "]}", "application/json",
                                           Map.of("Idempotency-Key", "k-1"));
        assertThat(reused.statusCode()).isEqualTo(422);
        answers.assertDocumented("POST", "/v1/events", reused);

        HttpResponse<String> badKey = post("{\"events\": [" + event.formatted("click") + "]}", "application/json",
                                           Map.of("Idempotency-Key", "k".repeat(256)));
        assertThat(badKey.statusCode()).isEqualTo(400);
        answers.assertDocumented("POST", "/v1/events", badKey);

        // A request with this key and body still in flight (its record, as another replica's claim leaves it).
        String body = "{\"events\": [" + event.formatted("purchase") + "]}";
        try (UnifiedJedis direct = RedisClient.create(URI.create(redisUri))) {
            direct.hset(RedisEventSink.recordKey(new IdempotencyKey("a:127.0.0.1", "k-in-flight")), Map.of(
                    "state", "in_flight", "fp", Fingerprint.of(JSON.readValue(body, Object.class)), "token", "other"));
        }
        HttpResponse<String> inFlight = post(body, "application/json", Map.of("Idempotency-Key", "k-in-flight"));
        assertThat(inFlight.statusCode()).isEqualTo(409);
        assertThat(inFlight.headers().firstValue("Retry-After")).contains("1");
        answers.assertDocumented("POST", "/v1/events", inFlight);

        HttpResponse<String> invalid = post("{\"events\": [" + event.formatted("view") + ", 7]}", "application/json",
                                            Map.of());
        assertThat(invalid.statusCode()).isEqualTo(422);
        answers.assertDocumented("POST", "/v1/events", invalid);
        assertThat(JSON.readTree(invalid.body()).get("invalid_events")).hasSize(2);

        HttpResponse<String> empty = post("{\"events\": []}", "application/json", Map.of());
        assertThat(empty.statusCode()).isEqualTo(400);
        answers.assertDocumented("POST", "/v1/events", empty);

        HttpResponse<String> text = post("{\"events\": []}", "text/plain", Map.of());
        assertThat(text.statusCode()).isEqualTo(415);
        answers.assertDocumented("POST", "/v1/events", text);

        HttpResponse<String> large = post("{\"events\": [\"" + "x".repeat(EventsService.MAX_BODY_BYTES) + "\"]}",
                                          "application/json", Map.of());
        assertThat(large.statusCode()).isEqualTo(413);
        answers.assertDocumented("POST", "/v1/events", large);
    }

    @Test
    void badParametersAreDocumentedProblems() throws Exception {
        answers.assertDocumented("GET", "/v1/recommendations", expect(400, get("/v1/recommendations?n=0", Map.of())));
        answers.assertDocumented("GET", "/v1/recommendations",
                                 expect(400, get("/v1/recommendations", Map.of("X-Country", "Germany"))));
        answers.assertDocumented("GET", "/v1/recommendations",
                                 expect(400, get("/v1/recommendations?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Map.of())));
        answers.assertDocumented("GET", "/v1/search", expect(400, get("/v1/search?sort=sideways", Map.of())));
        answers.assertDocumented("GET", "/v1/feed", expect(400, get("/v1/feed?size=101", Map.of())));
        answers.assertDocumented("GET", "/v1/items/{item_id}", expect(400, get("/v1/items/a%20b", Map.of())));
        answers.assertDocumented("HEAD", "/v1/search", expect(400, head("/v1/search?size=0")));
    }

    @Test
    void otherMethodsUnknownPathsAndUnacceptableTypesAreDocumentedProblems() throws Exception {
        HttpResponse<String> delete = send(HttpRequest.newBuilder(api("/v1/search")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        answers.assertDocumented("/components/responses/MethodNotAllowed", delete);
        HttpResponse<String> postDocument = post("{}", "application/json", Map.of(), "/openapi");
        assertThat(postDocument.statusCode()).isEqualTo(405);
        answers.assertDocumented("/components/responses/MethodNotAllowed", postDocument);

        HttpResponse<String> html = get("/openapi", Map.of("Accept", "text/html"));
        answers.assertDocumented("GET", "/openapi", expect(406, html));

        HttpResponse<String> unknown = expect(404, get("/v2/nothing", Map.of()));
        answers.assertValid("/components/schemas/Problem", JSON.readTree(unknown.body()));
    }

    @Test
    void overTheQuotaIsA429WithRetryAfterAndTheRateLimitFields() throws Exception {
        // A caller of its own: the quota is counted in the Redis the other instance shares.
        String path = "/v1/items/" + ITEMS.get(1).itemId() + "?user=openapi-flood";
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(limitedApi(path)).GET());
        answers.assertDocumented("GET", "/v1/items/{item_id}", allowed);

        HttpResponse<String> refused = send(HttpRequest.newBuilder(limitedApi(path)).GET());
        assertThat(refused.statusCode()).isEqualTo(429);
        answers.assertDocumented("GET", "/v1/items/{item_id}", refused);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    private static HttpResponse<String> head(String path) throws Exception {
        return send(HttpRequest.newBuilder(api(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> post(String body, String contentType, Map<String, String> headers)
            throws Exception {
        return post(body, contentType, headers, "/v1/events");
    }

    private static HttpResponse<String> post(String body, String contentType, Map<String, String> headers, String path)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + braid.apiPort() + path);
    }

    private static URI limitedApi(String path) {
        return URI.create("http://127.0.0.1:" + limited.apiPort() + path);
    }
}
