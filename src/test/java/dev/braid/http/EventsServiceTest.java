package dev.braid.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.braid.Components;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.events.EventValidator;
import dev.braid.events.EventJson;
import dev.braid.redis.RedisEventSink;
import dev.braid.redis.RedisSharedStore;
import dev.braid.redis.RedisUserAffinities;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.RedisExtension;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/events} through the production routing against a real Redis: every validation rule, the 400, 413 and
 * 422 problems, and that a rejected batch leaves nothing behind. The effects themselves are EventsIT's subject.
 */
@ExtendWith(RedisExtension.class)
class EventsServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static Components components;
    private static WebServer server;
    private static UnifiedJedis direct;

    @BeforeAll
    static void start(EmbeddedRedis redis) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        components = Components.create(TestConfigs.local(Map.of(
                "redis.url", redis.uri(), "redis.timeout", "2s",
                // No catalog: affinities are skipped, which this test does not look at.
                "opensearch.url", "http://127.0.0.1:" + closedPort)));
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(routing -> Main.routing(routing, components)).build().start();
        direct = RedisClient.create(URI.create(redis.uri()));
    }

    @AfterAll
    static void stop() {
        server.stop();
        components.close();
        direct.close();
    }

    @Test
    void aValidBatchIsAcceptedAndApplied() throws Exception {
        String user = user();
        HttpResponse<String> response = post(EventJson.batch(event(user, "sv-i1", "click"), event(user, "sv-i2", "purchase")));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(2);
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
        assertThat(direct.smembers(RedisEventSink.purchasedKey(user))).containsExactly("sv-i2");
        assertThat(direct.zscore(RedisEventSink.TRENDING, "sv-i1")).isPositive();
    }

    @Test
    void anIdempotencyKeyIsHonouredTheSecondRequestReplaysTheFirstAnswerAndAppliesNothing() throws Exception {
        String user = user();
        String body = EventJson.batch(event(user, "sv-i3", "click"));
        HttpResponse<String> first = post(body, Map.of("Idempotency-Key", "k-1-" + user));
        // The same body re-serialized (members reordered, other spacing) is the same request.
        String reordered = JSON.writeValueAsString(JSON.readTree(body));
        HttpResponse<String> second = post(reordered, Map.of("Idempotency-Key", "k-1-" + user));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
        // Without the key the same body is another batch.
        assertThat(post(body).statusCode()).isEqualTo(202);
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("2");
    }

    @Test
    void theSameKeyWithAnotherBodyIsA422AndAppliesNothing() throws Exception {
        String user = user();
        assertThat(post(EventJson.batch(event(user, "sv-i4", "click")), Map.of("Idempotency-Key", "k-2-" + user))
                           .statusCode()).isEqualTo(202);

        HttpResponse<String> other = post(EventJson.batch(event(user, "sv-i5", "purchase")),
                                          Map.of("Idempotency-Key", "k-2-" + user));

        JsonNode problem = assertProblem(other, 422);
        assertThat(problem.get("type").asText()).isEqualTo("https://braid.dev/problems/idempotency-key-reused");
        assertThat(problem.get("detail").asText()).startsWith("Idempotency-Key: ");
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
        assertThat(direct.exists(RedisEventSink.purchasedKey(user))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "too long|LONG|must be at most 255 characters (was 256)",
            "a control character|a\tb|must not hold control characters (one at position 1)"})
    void anUnusableKeyIsA400NamingTheHeaderAndNothingIsApplied(String what, String key, String reason) throws Exception {
        String user = user();
        String value = key.equals("LONG") ? "k".repeat(256) : key.replace("\\t", "\t");

        HttpResponse<String> response = post(EventJson.batch(event(user, "sv-i6", "click")),
                                              Map.of("Idempotency-Key", value));

        JsonNode problem = assertProblem(response, 400);
        assertThat(problem.get("detail").asText()).isEqualTo("Idempotency-Key: " + reason);
        assertThat(problem.get("invalid_params").get(0).get("name").asText()).isEqualTo("Idempotency-Key");
        assertThat(direct.exists(RedisSharedStore.generationKey(user))).isFalse();
    }

    @Test
    void keysAreScopedToTheCaller() throws Exception {
        // Two callers (the user a request names) with one key: two batches, both applied.
        String user = user();
        String body = EventJson.batch(event(user, "sv-i7", "click"));
        assertThat(post(body, Map.of("Idempotency-Key", "k-shared-" + user), "?user=caller-a").statusCode())
                .isEqualTo(202);
        HttpResponse<String> second = post(body, Map.of("Idempotency-Key", "k-shared-" + user), "?user=caller-b");

        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("2");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "user|\"a b\"|must be 1..128 characters of letters, digits and . _ : @ -",
            "user|\"\"|must be 1..128 characters",
            "user|42|must be a string (was a number)",
            "user|null|is required",
            "item_id|\"i 9\"|must be 1..128 characters of letters, digits and . _ : -",
            "type|\"view\"|must be one of impression, click, add_to_cart, purchase, rating (was 'view')",
            "ts|\"2026-13-01T00:00:00Z\"|must be an ISO-8601 instant",
            "ts|\"FUTURE\"|must not be more than 5 minutes in the future",
            "ts|\"OLD\"|must not be more than 30 days old",
            "value|\"4\"|must be a number (was a string)",
            "recommendation_id|\"LONG\"|must be 1..1024 characters (was 1025)"})
    void eachRuleRejectsTheBatchWith422NamingTheIndexAndField(String field, String json, String reason) throws Exception {
        String user = user();
        String value = json.replace("FUTURE", Instant.now().plus(Duration.ofMinutes(10)).toString())
                .replace("OLD", Instant.now().minus(Duration.ofDays(31)).toString())
                .replace("LONG", "r".repeat(1025));
        ObjectNode bad = (ObjectNode) JSON.readTree(event(user, "sv-bad", "click"));
        bad.set(field, JSON.readTree(value));

        HttpResponse<String> response = post(EventJson.batch(event(user, "sv-ok", "purchase"), bad.toString()));

        JsonNode problem = assertProblem(response, 422);
        assertThat(problem.get("type").asText()).isEqualTo("https://braid.dev/problems/invalid-events");
        assertThat(problem.get("invalid_events")).singleElement().satisfies(rejection -> {
            assertThat(rejection.get("index").asInt()).isEqualTo(1);
            assertThat(rejection.get("field").asText()).isEqualTo(field);
            assertThat(rejection.get("reason").asText()).contains(reason);
        });
        assertThat(problem.get("detail").asText()).startsWith("events: 1 event was rejected and nothing of the batch was "
                                                              + "applied; first: events[1]." + field);
        assertNothingStored(user, "sv-ok", "sv-bad");
    }

    @Test
    void aRatingWithoutValueOrOutOfRangeIsRejected() throws Exception {
        String user = user();
        String missing = event(user, "sv-r1", "rating");
        String tooHigh = event(user, "sv-r2", "rating").replaceFirst("\\}$", ", \"value\": 5.5}");
        String fine = event(user, "sv-r3", "rating").replaceFirst("\\}$", ", \"value\": 5}");

        JsonNode problem = assertProblem(post(EventJson.batch(missing, fine, tooHigh)), 422);

        assertThat(problem.get("invalid_events")).hasSize(2);
        assertThat(problem.at("/invalid_events/0/index").asInt()).isZero();
        assertThat(problem.at("/invalid_events/0/reason").asText()).startsWith("is required for rating events");
        assertThat(problem.at("/invalid_events/1/index").asInt()).isEqualTo(2);
        assertThat(problem.at("/invalid_events/1/reason").asText()).isEqualTo("must be between 0 and 5 for rating events (was 5.5)");
        assertNothingStored(user, "sv-r1", "sv-r2", "sv-r3");
    }

    @Test
    void everyRejectedIndexIsListedAndNothingOfTheBatchIsApplied() throws Exception {
        String user = user();
        List<String> events = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add("sv-many-" + i);
            events.add(event(user, items.getLast(), i % 2 == 0 ? "purchase" : "click"));
        }
        events.set(3, event(user, "sv-many-3", "teleport"));
        events.set(17, "\"not an event\"");
        events.set(39, event("", "sv-many-39", "click").replace("\"sv-many-39\"", "\"bad id!\""));

        JsonNode problem = assertProblem(post(EventJson.batch(events.toArray(String[]::new))), 422);

        List<String> rejected = new ArrayList<>();
        problem.get("invalid_events").forEach(r -> rejected.add(r.get("index").asInt() + ":" + r.get("field").asText()));
        assertThat(rejected).containsExactly("3:type", "17:event", "39:user", "39:item_id");
        assertThat(problem.get("detail").asText()).startsWith("events: 3 events were rejected");
        assertNothingStored(user, items);
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"events\": [`|body|is not valid JSON",
            "`not json at all`|body|is not valid JSON",
            "``|body|is required",
            "`[]`|body|must be a JSON object",
            "`\"events\"`|body|must be a JSON object",
            "`{}`|events|is required",
            "`{\"events\": null}`|events|is required",
            "`{\"events\": {}}`|events|must be an array",
            "`{\"events\": []}`|events|must hold 1..500 events (was 0)",
            "`{\"events\": [], \"events\": []}`|body|Duplicate field 'events'",
            "`{\"events\": [{}]} trailing`|body|is not valid JSON"})
    void aBodyThatIsNotAnEventBatchIsA400NamingIt(String body, String parameter, String reason) throws Exception {
        JsonNode problem = assertProblem(post(body), 400);
        assertThat(problem.at("/invalid_params/0/name").asText()).isEqualTo(parameter);
        assertThat(problem.get("detail").asText()).startsWith(parameter + ": ").contains(reason);
    }

    @Test
    void moreThan500EventsAreA400() throws Exception {
        String user = user();
        String[] events = new String[501];
        for (int i = 0; i < events.length; i++) {
            events[i] = event(user, "sv-big-" + i, "click");
        }
        JsonNode problem = assertProblem(post(EventJson.batch(events)), 400);
        assertThat(problem.get("detail").asText()).isEqualTo("events: must hold 1..500 events (was 501)");
        assertNothingStored(user, "sv-big-0", "sv-big-500");

        assertThat(post(EventJson.batch(java.util.Arrays.copyOf(events, 500))).statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyOverOneMebibyteIsA413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String user = user();
        String padding = "x".repeat(EventsService.MAX_BODY_BYTES);
        String body = "{\"events\": [" + event(user, "sv-huge", "purchase") + "], \"padding\": \"" + padding + "\"}";

        JsonNode declared = assertProblem(post(body), 413);
        assertThat(declared.get("detail").asText()).startsWith("body: must be at most 1048576 bytes");

        HttpResponse<String> chunked = CLIENT.send(request().POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body.getBytes()))).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(chunked, 413);
        assertNothingStored(user, "sv-huge");

        // Just under the limit is read and judged on its merits.
        String fits = "{\"events\": [" + event(user, "sv-fits", "click") + "], \"padding\": \"" + "x".repeat(
                EventsService.MAX_BODY_BYTES - 400) + "\"}";
        assertThat(post(fits).statusCode()).isEqualTo(202);
    }

    @Test
    void userAndItemIdsFollowTheRulesOfTheRecommendationsEndpoint() {
        assertThat(EventValidator.USER.pattern()).isEqualTo(RecommendationsService.USER.pattern());
        assertThat(EventValidator.ITEM_ID.pattern()).isEqualTo(RecommendationsService.ITEM_ID.pattern());
    }

    private static void assertNothingStored(String user, String... items) {
        assertNothingStored(user, List.of(items));
    }

    private static void assertNothingStored(String user, List<String> items) {
        assertThat(direct.exists(RedisSharedStore.generationKey(user), RedisEventSink.purchasedKey(user),
                                 RedisUserAffinities.key(user, "category"), RedisUserAffinities.key(user, "brand")))
                .as("keys of %s", user).isZero();
        for (String item : items) {
            assertThat(direct.zscore(RedisEventSink.TRENDING, item)).as("trending score of %s", item).isNull();
        }
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        return problem;
    }

    private static String user() {
        return "sv-user-" + USERS.incrementAndGet();
    }

    private static String event(String user, String item, String type) {
        return EventJson.event(user, item, type, Instant.now().minusSeconds(5));
    }


    private static HttpResponse<String> post(String body) throws Exception {
        return post(body, Map.of());
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        return post(body, headers, "");
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers, String query) throws Exception {
        HttpRequest.Builder request = request(query).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request() {
        return request("");
    }

    private static HttpRequest.Builder request(String query) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events" + query))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
    }
}
