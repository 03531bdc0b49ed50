package dev.braid.cache;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.events.EventJson;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-tier cache through the whole service: three replicas (each with its own memory tier, clients and breakers,
 * like three pods) sharing one real Redis behind a fault proxy, the trending simulator as the origin whose request
 * count says how often the origin was called.
 */
@ExtendWith({RedisExtension.class, OpenSearchExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CachingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ADMIN_TOKEN = "test-admin-token";

    private static TrendingSimulator trending;
    private static FaultProxy redisProxy;
    private static EmbeddedRedis server;
    private static final List<Braid> replicas = new ArrayList<>();
    private static int userCounter;

    @BeforeAll
    static void start(EmbeddedRedis redis, EmbeddedOpenSearch openSearch) {
        server = redis;
        DemoCatalogLoader.load(openSearch.uri(), "catalog-caching", DemoCatalog.generate(500, 5));
        trending = new TrendingSimulator(DemoCatalog.itemIds(500), Duration.ofMillis(40)).start(0);
        redisProxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("sources.trending.breaker.volume", "100000");
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", "catalog-caching");
        overrides.put("catalog.timeout", "500ms");
        overrides.put("surfaces.home.budget", "2s");
        overrides.put("redis.url", "redis://127.0.0.1:" + redisProxy.port());
        overrides.put("redis.timeout", "200ms");
        // One cursor secret for every replica, as in production: a later page may be asked of any.
        overrides.put("search.cursor-secret", "caching-it-cursor-secret-0123");
        overrides.put("cache.recommendations.fresh", "1500ms");
        overrides.put("cache.lock-wait", "1500ms");
        overrides.put("cache.early-refresh", "0");
        // A couple of warm-up requests: the replicas learn the source's model version, which is part of every key.
        overrides.put("server.warmup-requests", "2");
        for (int i = 0; i < 3; i++) {
            replicas.add(Main.start(TestConfigs.local(overrides)));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        trending.close();
        redisProxy.close();
    }

    @BeforeEach
    void countFromZeroWithPushesLive() throws InterruptedException {
        trending.reset();
        // A previous test's Redis fault stops the pushes until they reconnect: every test starts with them flowing.
        for (Braid replica : replicas) {
            awaitTrue(Duration.ofSeconds(10), () -> replica.components().generations().pushed());
        }
    }

    @AfterEach
    void heal() {
        redisProxy.reset();
        trending.reset();
    }

    @Test
    void twoHundredConcurrentRequestsForOneColdKeyOnThreeReplicasCallTheOriginOnce() throws Exception {
        String user = newUser();
        trending.reset();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonNode>> answers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                Braid replica = replicas.get(i % 3);
                answers.add(threads.submit((Callable<JsonNode>) () -> {
                    go.await();
                    return ok(replica, "/v1/recommendations?user=" + user);
                }));
            }
            go.countDown();
            Set<String> lists = new HashSet<>();
            for (Future<JsonNode> answer : answers) {
                lists.add(answer.get().get("items").toString());
            }
            assertThat(lists).hasSize(1);
        }
        assertThat(trending.requests()).isEqualTo(1);
    }

    @Test
    void memoryThenTheSharedTierThenMemoryAgain() throws Exception {
        String user = newUser();
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("miss");
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("hit-l1");
        // Pushes live: the generation is kept in memory, so that hit read nothing from Redis to know it was current.
        assertThat(replicas.get(0).components().generations().remembers(user)).isTrue();
        assertThat(ok(replicas.get(1), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("hit-l2");
        assertThat(ok(replicas.get(1), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("hit-l1");
        assertThat(trending.requests()).isEqualTo(1);
    }

    @Test
    void aSignedInHitAsksRedisNothingToKnowItsListIsCurrent() throws Exception {
        String user = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + user);
        java.util.Queue<String> commands = new java.util.concurrent.ConcurrentLinkedQueue<>();
        String done = "done-" + System.nanoTime();
        try (Jedis monitor = new Jedis(java.net.URI.create(server.uri()));
             UnifiedJedis direct = RedisClient.create(java.net.URI.create(server.uri()))) {
            Thread.ofVirtual().start(() -> {
                try {
                    monitor.monitor(new JedisMonitor() {
                        @Override
                        public void onCommand(String command) {
                            commands.add(command);
                        }
                    });
                } catch (RuntimeException closed) {
                    // the test closed the connection
                }
            });
            awaitTrue(Duration.ofSeconds(10), () -> {
                direct.echo("started");
                return commands.stream().anyMatch(command -> command.contains("started"));
            });
            for (int i = 0; i < 20; i++) {
                assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + user).get("cache").asText())
                        .isEqualTo("hit-l1");
            }
            direct.echo(done);
            awaitTrue(Duration.ofSeconds(10), () -> commands.stream().anyMatch(command -> command.contains(done)));
        }
        // The generation is in memory while Redis pushes its changes: twenty hits, not one read of gen:{user}.
        assertThat(commands).noneMatch(command -> command.contains("\"gen:{" + user + "}\""));
        assertThat(commands).anyMatch(command -> command.contains("rl:recommendations:u:" + user));
    }

    @Test
    void oneUsersListIsNeverAnotherUsersOrAnAnonymousVisitors() throws Exception {
        String a = newUser();
        String b = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + a);
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + b).get("cache").asText()).isEqualTo("miss");
        JsonNode anonymous = ok(replicas.get(0), "/v1/recommendations?n=20", Map.of("X-Country", "ZZ"));
        assertThat(anonymous.get("cache").asText()).isEqualTo("miss");
        assertThat(anonymous.get("user").isNull()).isTrue();
        assertThat(trending.requests()).isEqualTo(3);
        assertThat(trending.lastRequest().query()).doesNotContain("user=");
    }

    @Test
    void invalidatingAUserMakesTheirNextRequestAMissAndNobodyElses() throws Exception {
        String a = newUser();
        String b = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + a);
        ok(replicas.get(0), "/v1/recommendations?user=" + b);

        HttpResponse<String> invalidated = send(HttpRequest.newBuilder(admin(replicas.get(2), "/admin/cache/invalidate?user=" + a))
                                                       .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                                       .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(invalidated.statusCode()).isEqualTo(200);

        awaitPush(replicas.get(0), a);
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + a).get("cache").asText()).isEqualTo("miss");
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + b).get("cache").asText()).isEqualTo("hit-l1");
    }

    @Test
    void aClickEventMakesThatUsersNextRequestAMissAndNobodyElses() throws Exception {
        String a = newUser();
        String b = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + a);
        ok(replicas.get(0), "/v1/recommendations?user=" + b);
        String event = EventJson.batch(EventJson.event(a, "i3", "click", Instant.now().minusSeconds(1)));
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + replicas.get(1).apiPort() + "/v1/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        awaitPush(replicas.get(0), a);
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + a).get("cache").asText()).isEqualTo("miss");
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + b).get("cache").asText()).isEqualTo("hit-l1");
    }

    @Test
    void pastFreshnessTheStaleListIsServedAndOneRefreshRuns() throws Exception {
        String user = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + user);
        awaitTrue(Duration.ofSeconds(5), () -> cache(replicas.get(0), user).equals("stale"));
        awaitTrue(Duration.ofSeconds(5), () -> trending.requests() == 2);
        awaitTrue(Duration.ofSeconds(5), () -> cache(replicas.get(0), user).equals("hit-l1"));
        assertThat(trending.requests()).isEqualTo(2);
    }

    @Test
    void whenTheOriginFailsTheStaleListStandsInAndSaysSo() throws Exception {
        String user = newUser();
        JsonNode fresh = ok(replicas.get(0), "/v1/recommendations?user=" + user);
        trending.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        awaitTrue(Duration.ofSeconds(5), () -> {
            JsonNode answer = answer(replicas.get(0), user);
            return "stale".equals(answer.get("degraded").asText()) && answer.get("items").equals(fresh.get("items"));
        });
        JsonNode answer = ok(replicas.get(0), "/v1/recommendations?user=" + user);
        assertThat(answer.get("cache").asText()).isEqualTo("stale");
    }

    @Test
    @Order(Integer.MAX_VALUE)  // last: the replicas' Redis breakers take a while to close again, which is its subject
    void aDeadRedisCostsNothingAndRedisComingBackIsUsedAgain() throws Exception {
        String warm = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + warm);
        redisProxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        awaitTrue(Duration.ofSeconds(10), () -> !replicas.get(0).components().generations().pushed());

        // Still answered from memory, at once; but whether the list is current cannot be told without Redis: stale.
        JsonNode remembered = ok(replicas.get(0), "/v1/recommendations?user=" + warm);
        assertThat(remembered.get("cache").asText()).isEqualTo("stale");
        assertThat(remembered.get("degraded").asText()).isEqualTo("stale");
        String cold = newUser();
        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            JsonNode answer = ok(replicas.get(1), "/v1/recommendations?user=" + cold);
            assertThat(answer.get("items")).isNotEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        }

        redisProxy.reset();
        String later = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + later);
        awaitTrue(Duration.ofSeconds(10), () -> {
            String user = newUser();
            answer(replicas.get(0), user);
            return cache(replicas.get(2), user).equals("hit-l2");
        });
    }

    @Test
    void withRedisDownAListMadeBeforeAPurchaseIsServedAsStaleNeverAsAFreshHit() throws Exception {
        String user = newUser();
        JsonNode made = ok(replicas.get(0), "/v1/recommendations?user=" + user);
        assertThat(made.get("cache").asText()).isEqualTo("miss");
        String bought = made.get("items").get(0).get("item_id").asText();
        postEvent(replicas.get(1), EventJson.event(user, bought, "purchase", Instant.now().minusSeconds(1)));

        redisProxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        // Pushes stop with Redis: the replica knows at once that what it remembers can no longer be trusted.
        awaitTrue(Duration.ofSeconds(10), () -> !replicas.get(0).components().generations().pushed());
        JsonNode answer = ok(replicas.get(0), "/v1/recommendations?user=" + user);
        // Replica 0 still holds the list in memory, but cannot tell whether it is current: it says so.
        assertThat(answer.get("cache").asText()).isEqualTo("stale");
        assertThat(answer.get("degraded").asText()).isEqualTo("stale");

        // A replica that never read this user's generation has no list to offer: it makes one, and says nothing stale.
        JsonNode elsewhere = ok(replicas.get(2), "/v1/recommendations?user=" + user);
        assertThat(elsewhere.get("cache").asText()).isEqualTo("miss");
    }

    @Test
    void anInvalidationThatCannotBeAppliedIsA503NotA200() throws Exception {
        String user = newUser();
        ok(replicas.get(0), "/v1/recommendations?user=" + user);
        redisProxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        HttpResponse<String> refused = send(HttpRequest.newBuilder(admin(replicas.get(0),
                                                                         "/admin/cache/invalidate?user=" + user))
                                                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                                    .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("could not be applied");
    }

    @Test
    void laterPagesDropWhatTheUserBoughtSinceTheFirst() throws Exception {
        String user = newUser();
        JsonNode first = ok(replicas.get(0), "/v1/recommendations?user=" + user + "&n=5");
        String cursor = first.get("next_cursor").asText();
        // What the next page would show: the same list, cut further along.
        JsonNode preview = ok(replicas.get(0), "/v1/recommendations?user=" + user + "&n=5&cursor=" + cursor);
        String bought = preview.get("items").get(2).get("item_id").asText();
        postEvent(replicas.get(1), EventJson.event(user, bought, "purchase", Instant.now().minusSeconds(1)));

        for (Braid replica : replicas) {
            JsonNode second = ok(replica, "/v1/recommendations?user=" + user + "&n=5&cursor=" + cursor);
            assertThat(second.get("items").findValuesAsText("item_id")).hasSize(5).doesNotContain(bought)
                    .doesNotContainAnyElementsOf(first.get("items").findValuesAsText("item_id"));
        }
    }

    private static void postEvent(Braid replica, String event) throws Exception {
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + replica.apiPort() + "/v1/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventJson.batch(event))));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    private static String cache(Braid replica, String user) {
        return answer(replica, user).get("cache").asText();
    }

    private static JsonNode answer(Braid replica, String user) {
        try {
            return ok(replica, "/v1/recommendations?user=" + user);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized String newUser() {
        return "cache-it-" + System.nanoTime() + "-" + (++userCounter);
    }

    private static JsonNode ok(Braid replica, String path) throws Exception {
        return ok(replica, path, Map.of());
    }

    private static JsonNode ok(Braid replica, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.apiPort() + path));
        headers.forEach(request::header);
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static URI admin(Braid replica, String path) {
        return URI.create("http://127.0.0.1:" + replica.adminPort() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits (a bounded poll) until {@code replica} has heard Redis's push that {@code user}'s generation moved: it kept
     * the generation in memory, so nothing else tells it before its next request.
     */
    private static void awaitPush(Braid replica, String user) throws InterruptedException {
        assertThat(replica.components().generations().pushed()).as("pushes live").isTrue();
        awaitTrue(Duration.ofSeconds(10), () -> !replica.components().generations().remembers(user));
    }

    private static void awaitTrue(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + limit).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
