package dev.braid.recommend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.events.EventJson;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5 through the whole service: real Redis (signals, purchases, cached lists, exposures), real OpenSearch (the
 * catalog), a trending service and a per-user model ("for-you") on the wire, and an experiment that takes every unit.
 * The per-user model's request count proves who reaches it.
 */
@ExtendWith({RedisExtension.class, OpenSearchExtension.class})
class BlendingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final List<DemoCatalog.Item> CATALOG = DemoCatalog.generate(600, 17);

    @TempDir
    static Path configDir;

    private static TrendingSimulator trending;
    private static TrendingSimulator forYou;
    private static RedisClient redis;
    private static Braid braid;
    private static Map<String, String> overrides;

    @BeforeAll
    static void start(EmbeddedRedis embeddedRedis, EmbeddedOpenSearch openSearch) throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), "catalog-blending", CATALOG);
        List<String> ids = CATALOG.stream().map(DemoCatalog.Item::itemId).toList();
        trending = new TrendingSimulator(ids, Duration.ZERO).start(0);
        forYou = new TrendingSimulator(ids.reversed(), Duration.ZERO).start(0);
        redis = RedisClient.create(URI.create(embeddedRedis.uri()));
        Path experiments = configDir.resolve("experiments.yaml");
        Files.writeString(experiments, """
                experiments:
                  it-exp:
                    surfaces: [home]
                    salt: it-exp-1
                    traffic: 1.0
                    variants:
                      control: {share: 1}
                      treatment: {share: 1, mmr-lambda: 0.3}
                """);
        overrides = new LinkedHashMap<>();
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("sources.for-you.kind", "microservice");
        overrides.put("sources.for-you.url", forYou.endpoint());
        overrides.put("sources.for-you.explain", "for-you");
        overrides.put("surfaces.home.sources.for-you.logged-in-only", "true");
        overrides.put("surfaces.home.budget", "2s");
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", "catalog-blending");
        overrides.put("catalog.timeout", "500ms");
        overrides.put("redis.url", embeddedRedis.uri());
        overrides.put("redis.timeout", "500ms");
        overrides.put("search.cursor-secret", "blending-it-secret-0123456789");
        overrides.put("experiments.file", experiments.toString());
        overrides.put("experiments.exposures.stream", "exposures-it");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterAll
    static void stop() {
        braid.stop();
        trending.close();
        forYou.close();
        redis.close();
    }

    @Test
    void anonymousVisitorsNeverReachPerUserModelsAndGetTheSegmentsPopularList() throws Exception {
        long before = forYou.requests();
        for (String country : List.of("DE", "FR", "US", "JP")) {
            for (String language : List.of("de", "en", "ja")) {
                HttpResponse<String> response = get("/v1/recommendations?n=10", Map.of(
                        "X-Country", country, "Accept-Language", language, "X-Anonymous-Id", "visitor-" + country));
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.get("degraded").asText()).isEqualTo("cold_start");
                assertThat(body.at("/sources/for-you/status").asText()).isEqualTo("skipped");
                assertThat(body.get("partial").asBoolean()).isFalse();
                assertThat(body.get("items")).hasSize(10);
                // Cold start is what anonymous answers are: shared caches keep them for the plan's full max-age.
                assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=30");
                assertThat(response.headers().firstValue("Vary").orElse("")).contains("X-Anonymous-Id");
            }
        }
        assertThat(forYou.requests() - before).isZero();
    }

    @Test
    void aUserWithoutHistoryIsColdStartedUntilTheirFirstClick() throws Exception {
        String user = newUser();
        long before = forYou.requests();
        JsonNode cold = ok("/v1/recommendations?user=" + user);
        assertThat(cold.get("degraded").asText()).isEqualTo("cold_start");
        assertThat(cold.at("/sources/for-you/status").asText()).isEqualTo("skipped");
        assertThat(sourcesOf(cold)).contains("popular", "trending").doesNotContain("for-you");
        assertThat(forYou.requests() - before).isZero();

        post("/v1/events", EventJson.batch(EventJson.event(user, cold.at("/items/0/item_id").asText(), "click",
                                                             Instant.now())));
        JsonNode warm = ok("/v1/recommendations?user=" + user);
        assertThat(warm.get("degraded").isNull()).as(warm.toString()).isTrue();
        assertThat(warm.at("/sources/for-you/status").asText()).isEqualTo("ok");
        assertThat(sourcesOf(warm)).contains("for-you").doesNotContain("popular");
        assertThat(forYou.requests() - before).isEqualTo(1);
    }

    @Test
    void aNewUserWithAnAffinitySeesPopularItemsOfThatCategory() throws Exception {
        String user = newUser();
        String category = CATALOG.get(3).category();
        redis.zadd("affinity:{" + user + "}:category", 5.0, category);

        JsonNode cold = ok("/v1/recommendations?user=" + user + "&n=100");
        assertThat(cold.get("degraded").asText()).isEqualTo("cold_start");
        List<JsonNode> popular = new ArrayList<>();
        cold.get("items").forEach(item -> item.get("sources").forEach(source -> {
            if (source.asText().equals("popular")) {
                popular.add(item);
            }
        }));
        assertThat(popular).isNotEmpty().allSatisfy(item -> {
            assertThat(item.get("category").asText()).isEqualTo(category);
            assertThat(item.get("reasons")).extracting(JsonNode::asText).anyMatch(reason -> reason.startsWith("popular in"));
        });
    }

    @Test
    void purchasedItemsNeverReturnOnAnyPage() throws Exception {
        String user = warmUser();
        JsonNode first = ok("/v1/recommendations?user=" + user + "&n=5");
        List<String> bought = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (JsonNode item : first.get("items")) {
            bought.add(item.get("item_id").asText());
            events.add(EventJson.event(user, item.get("item_id").asText(), "purchase", Instant.now()));
        }
        post("/v1/events", EventJson.batch(events.toArray(String[]::new)));

        List<String> walked = walk(user, 9);
        assertThat(walked).isNotEmpty().doesNotContainAnyElementsOf(bought);
    }

    @Test
    void pagesWalkOneListWithoutRepeatsEvenWhenTheUsersListIsRemadeMidWalk() throws Exception {
        String user = warmUser();
        JsonNode whole = ok("/v1/recommendations?user=" + user + "&n=100");
        List<String> list = ids(whole);
        assertThat(list).hasSizeGreaterThan(50).doesNotHaveDuplicates();

        List<String> walked = new ArrayList<>();
        JsonNode page = ok("/v1/recommendations?user=" + user + "&n=7");
        int pages = 1;
        while (true) {
            walked.addAll(ids(page));
            if (pages == 2) {
                // A click makes the user's next list a new one; the walk stays on the list it started.
                post("/v1/events", EventJson.batch(EventJson.event(user, list.get(50), "click", Instant.now())));
                assertThat(ok("/v1/recommendations?user=" + user + "&n=100").get("cache").asText()).isEqualTo("miss");
            }
            if (page.get("next_cursor").isNull()) {
                break;
            }
            page = ok("/v1/recommendations?user=" + user + "&n=" + (pages % 2 == 0 ? 7 : 13) + "&cursor="
                      + page.get("next_cursor").asText());
            pages++;
        }
        assertThat(walked).isEqualTo(list);
    }

    @Test
    void aCursorIsBoundToItsUserAndCannotBeForged() throws Exception {
        String user = warmUser();
        String cursor = ok("/v1/recommendations?user=" + user + "&n=5").get("next_cursor").asText();
        HttpResponse<String> foreign = get("/v1/recommendations?user=" + newUser() + "&cursor=" + cursor, Map.of());
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("cursor").contains("another user");
        String forged = cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("AA") ? "BB" : "AA");
        HttpResponse<String> tampered = get("/v1/recommendations?user=" + user + "&cursor=" + forged, Map.of());
        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(tampered.body()).contains("cursor");
    }

    @Test
    void reasonsSayHowEachItemGotThere() throws Exception {
        JsonNode body = ok("/v1/recommendations?user=" + warmUser() + "&n=30");
        for (JsonNode item : body.get("items")) {
            List<String> reasons = new ArrayList<>();
            item.get("reasons").forEach(reason -> reasons.add(reason.asText()));
            Set<String> sources = new HashSet<>();
            item.get("sources").forEach(source -> sources.add(source.asText()));
            String category = item.get("category").asText();
            String shown = category.substring(0, 1).toUpperCase() + category.substring(1).replace('-', ' ');
            assertThat(reasons.contains("trending in " + shown)).as(item.toString()).isEqualTo(sources.contains("trending"));
            assertThat(reasons.contains("recommended for you")).as(item.toString()).isEqualTo(sources.contains("for-you"));
        }
    }

    @Test
    void theExperimentArmIsNamedLoggedAndCreditedWithConversions() throws Exception {
        String user = warmUser();
        JsonNode body = ok("/v1/recommendations?user=" + user + "&n=8");
        String id = body.get("recommendation_id").asText();
        String variant = body.at("/experiment/variant").asText();
        assertThat(body.at("/experiment/id").asText()).isEqualTo("it-exp");
        assertThat(variant).isIn("control", "treatment");
        // Sealed: the id names its arm to Braid alone, and a caller cannot make one up.
        assertThat(id).matches("[A-Za-z0-9_-]{40,}").doesNotContain("it-exp").doesNotContain(variant);
        // The same user is always in the same arm.
        assertThat(ok("/v1/recommendations?user=" + user + "&n=3").at("/experiment/variant").asText()).isEqualTo(variant);

        StreamEntry exposure = awaitExposure(id);
        assertThat(exposure.getFields()).containsEntry("user", user).containsEntry("experiment", "it-exp")
                .containsEntry("variant", variant).containsEntry("surface", "home")
                .containsEntry("items", String.join(",", ids(body)));
        assertThat(exposure.getFields().get("model_versions")).contains(TrendingSimulator.MODEL_VERSION);

        List<String> metric = List.of("braid_experiment_conversions_total{", "experiment=\"it-exp\"",
                                      "type=\"add_to_cart\"", "variant=\"" + variant + "\"");
        double before = metric(metric);
        post("/v1/events", "{\"events\": [{\"user\": \"" + user + "\", \"item_id\": \"" + ids(body).getFirst()
                           + "\", \"type\": \"add_to_cart\", \"ts\": \"" + Instant.now() + "\", \"recommendation_id\": \""
                           + id + "\"}]}");
        assertThat(metric(metric)).isEqualTo(before + 1);
    }

    @Test
    void theWarmUpUserReachesThePerUserModelsThoughItHasNoHistory() {
        Map<String, String> warming = new LinkedHashMap<>(overrides);
        warming.put("server.warmup-requests", "4");
        warming.put("server.warmup-user", "warm-up-" + newUser());
        long before = forYou.requests();
        Braid warmed = Main.start(TestConfigs.local(warming));
        try {
            // Every second warm-up request is signed in: the per-user model's client is warm before the first user.
            assertThat(forYou.requests() - before).isGreaterThanOrEqualTo(2);
        } finally {
            warmed.stop();
        }
    }

    /** Every item of the user's list, page after page of {@code n}. */
    private static List<String> walk(String user, int n) throws Exception {
        List<String> walked = new ArrayList<>();
        JsonNode page = ok("/v1/recommendations?user=" + user + "&n=" + n);
        walked.addAll(ids(page));
        while (!page.get("next_cursor").isNull()) {
            page = ok("/v1/recommendations?user=" + user + "&n=" + n + "&cursor=" + page.get("next_cursor").asText());
            walked.addAll(ids(page));
        }
        return walked;
    }

    /** The exposure logged for {@code recommendationId}: written off the request's path, so it may take a moment. */
    private static StreamEntry awaitExposure(String recommendationId) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < giveUp) {
            for (StreamEntry entry : redis.xrange("exposures-it", (StreamEntryID) null, (StreamEntryID) null)) {
                if (recommendationId.equals(entry.getFields().get("recommendation_id"))) {
                    return entry;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no exposure for " + recommendationId + " within 5 s");
    }

    /** The value of the series whose line starts with the first part and holds every other part (its labels). */
    private static double metric(List<String> series) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : response.body().split("\n")) {
            if (line.startsWith(series.getFirst()) && series.stream().allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError(series + " not in the metrics");
    }

    private static String newUser() {
        return "blend-user-" + USERS.incrementAndGet();
    }

    /** A user with history, who gets the full personalized plan. */
    private static String warmUser() throws Exception {
        String user = newUser();
        post("/v1/events", EventJson.batch(EventJson.event(user, CATALOG.get(7).itemId(), "click", Instant.now())));
        return user;
    }

    private static Set<String> sourcesOf(JsonNode body) {
        Set<String> sources = new HashSet<>();
        body.get("items").forEach(item -> item.get("sources").forEach(source -> sources.add(source.asText())));
        return sources;
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("items").forEach(item -> ids.add(item.get("item_id").asText()));
        return ids;
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void post(String path, String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
}
