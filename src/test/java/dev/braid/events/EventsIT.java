package dev.braid.events;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.redis.RedisEventSink;
import dev.braid.redis.RedisUserAffinities;
import dev.braid.redis.RedisUserHistory;
import dev.braid.search.Affinities;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisExtension;

import static dev.braid.events.EventJson.batch;
import static dev.braid.events.EventJson.event;
import static dev.braid.events.EventJson.rating;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The effects of {@code POST /v1/events} on a real Redis, with item categories and brands from a real OpenSearch
 * catalog, both behind fault proxies: generations, purchases, affinities (read back as search reads them), trending,
 * one round trip per batch, and what a client gets when Redis or the catalog fails.
 */
@ExtendWith({RedisExtension.class, OpenSearchExtension.class})
class EventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ALIAS = "catalog-events";
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(300, 41);
    private static final Map<String, DemoCatalog.Item> BY_ID = new HashMap<>();
    /** Generous: the point is "bounded by the Redis timeout", not a benchmark. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
    /** The history list's key is {@code history:{USER}} (what {@link RedisUserHistory} reads). */
    private static final String HISTORY_PREFIX = "history:";

    private static FaultProxy redisProxy;
    private static FaultProxy openSearchProxy;
    private static UnifiedJedis direct;
    private static Braid braid;
    private static Map<String, String> overrides;

    @BeforeAll
    static void start(EmbeddedRedis redis, EmbeddedOpenSearch openSearch) {
        ITEMS.forEach(item -> BY_ID.put(item.itemId(), item));
        DemoCatalogLoader.load(openSearch.uri(), ALIAS, ITEMS);
        redisProxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        openSearchProxy = FaultProxy.start("opensearch", new InetSocketAddress("127.0.0.1", openSearch.httpPort()), 0);
        direct = RedisClient.create(URI.create(redis.uri()));
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("redis.url", "redis://127.0.0.1:" + redisProxy.port());
        overrides.put("redis.timeout", REDIS_TIMEOUT.toMillis() + "ms");
        overrides.put("events.timeout", REDIS_TIMEOUT.toMillis() + "ms");
        overrides.put("redis.pool-wait", "1s");
        overrides.put("opensearch.url", "http://127.0.0.1:" + openSearchProxy.port());
        overrides.put("catalog.index", ALIAS);
        // The catalog's answers themselves, not cached copies: what events do without it is one of the subjects here.
        overrides.put("cache.enabled", "false");
        // A loaded CI machine: the healthy path must not lose its affinities because a GC paused it.
        overrides.put("catalog.timeout", "2s");
        braid = Main.start(TestConfigs.local(overrides));
        EventsIT.overrides = overrides;
    }

    @AfterAll
    static void stop() {
        braid.stop();

        redisProxy.close();
        openSearchProxy.close();
        direct.close();
    }

    @AfterEach
    void heal() {
        redisProxy.reset();

        openSearchProxy.reset();
    }

    @Test
    void theGenerationIsBumpedOncePerUserAndBatchAndOnlyByEventsThatChangeRecommendations() throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        accepted(post(batch(event("ev-g1", "i1", "click", ts), event("ev-g1", "i2", "click", ts),
                            event("ev-g1", "i3", "impression", ts), event("ev-g2", "i1", "impression", ts),
                            event("ev-g3", "i4", "add_to_cart", ts), event("ev-g4", "i5", "purchase", ts),
                            rating("ev-g5", "i6", 1.0, ts))), 7);

        assertThat(generation("ev-g1")).isEqualTo("1");
        assertThat(generation("ev-g2")).isNull();
        assertThat(generation("ev-g3")).isEqualTo("1");
        assertThat(generation("ev-g4")).isEqualTo("1");
        assertThat(generation("ev-g5")).isEqualTo("1");
        assertThat(direct.ttl(generationKey("ev-g1"))).isBetween(Duration.ofDays(30).toSeconds() - 60,
                                                                  Duration.ofDays(30).toSeconds());

        accepted(post(batch(event("ev-g1", "i7", "purchase", ts), event("ev-g2", "i7", "impression", ts))), 2);
        assertThat(generation("ev-g1")).isEqualTo("2");
        assertThat(generation("ev-g2")).isNull();
    }

    @Test
    void purchasesAreRecordedPerUserAndExpire() throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        accepted(post(batch(event("ev-p1", "i10", "purchase", ts), event("ev-p1", "i11", "purchase", ts),
                            event("ev-p1", "i12", "add_to_cart", ts), event("ev-p2", "i10", "click", ts))), 4);

        assertThat(direct.smembers(RedisEventSink.purchasedKey("ev-p1"))).containsExactlyInAnyOrder("i10", "i11");
        assertThat(direct.ttl(RedisEventSink.purchasedKey("ev-p1"))).isBetween(Duration.ofDays(180).toSeconds() - 60,
                                                                               Duration.ofDays(180).toSeconds());
        assertThat(direct.exists(RedisEventSink.purchasedKey("ev-p2"))).isFalse();
    }

    @Test
    void theHistoryHoldsWhatTheUserDidNewestFirstAsTheHistoryReaderSeesIt() throws Exception {
        Instant ts = Instant.now().minusSeconds(60);
        // Sent out of order: the history follows the events' times.
        accepted(post(batch(event("ev-h1", "i71", "click", ts.plusSeconds(20)),
                            event("ev-h1", "i72", "impression", ts.plusSeconds(30)),
                            rating("ev-h1", "i73", 4.0, ts.plusSeconds(10)),
                            event("ev-h1", "i74", "purchase", ts))), 4);
        RedisUserHistory history = new RedisUserHistory(direct);

        assertThat(history.recentItems("ev-h1", 10)).containsExactly("i71", "i73", "i74");

        accepted(post(batch(event("ev-h1", "i75", "add_to_cart", ts.plusSeconds(40)),
                            event("ev-h1", "i74", "click", ts.plusSeconds(50)))), 2);
        assertThat(history.recentItems("ev-h1", 10)).containsExactly("i74", "i75", "i71", "i73");
        JsonNode newest = JSON.readTree(direct.lindex(HISTORY_PREFIX + "{ev-h1}", 0));
        assertThat(newest.get("item_id").asText()).isEqualTo("i74");
        assertThat(newest.get("type").asText()).isEqualTo("click");
        assertThat(Instant.parse(newest.get("ts").asText())).isEqualTo(ts.plusSeconds(50));
        // Now i74 (click), i75, i71, i73 (the rating), i74 (the purchase).
        JsonNode rated = JSON.readTree(direct.lindex(HISTORY_PREFIX + "{ev-h1}", 3));
        assertThat(rated.get("value").asDouble()).isEqualTo(4.0);
        assertThat(direct.ttl(HISTORY_PREFIX + "{ev-h1}")).isBetween(Duration.ofDays(90).toSeconds() - 60,
                                                                     Duration.ofDays(90).toSeconds());
    }

    @Test
    void theHistoryKeepsTheNewestTwoHundred() throws Exception {
        Instant ts = Instant.now().minus(Duration.ofHours(1));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(event("ev-h2", "ev-h2-item-" + i, "click", ts.plusSeconds(i)));
        }
        accepted(post(batch(events.toArray(String[]::new))), 250);

        List<String> kept = direct.lrange(HISTORY_PREFIX + "{ev-h2}", 0, -1);
        assertThat(kept).hasSize(200);
        // Item 249 is the newest, 50 the oldest kept: 249 - 199 = 50.
        assertThat(JSON.readTree(kept.getFirst()).get("item_id").asText()).isEqualTo("ev-h2-item-249");
        assertThat(JSON.readTree(kept.getLast()).get("item_id").asText()).isEqualTo("ev-h2-item-50");
    }

    @Test
    void affinitiesComeFromTheCatalogsCategoriesAndBrandsAndAreReadBackAsSearchReadsThem() throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        List<String> events = List.of(event("ev-a1", "i21", "click", ts),      // 1
                                      event("ev-a1", "i22", "add_to_cart", ts), // 3
                                      event("ev-a1", "i23", "purchase", ts),    // 5
                                      rating("ev-a1", "i24", 4.5, ts),          // 2
                                      rating("ev-a1", "i25", 1.0, ts),          // below the middle: nothing
                                      event("ev-a1", "i26", "impression", ts),  // nothing
                                      event("ev-a1", "not-in-catalog", "purchase", ts));
        accepted(post(batch(events.toArray(String[]::new))), 7);

        Map<String, Double> categories = new HashMap<>();
        Map<String, Double> brands = new HashMap<>();
        Map<String, Double> weights = Map.of("i21", 1.0, "i22", 3.0, "i23", 5.0, "i24", 2.0);
        weights.forEach((item, weight) -> {
            categories.merge(BY_ID.get(item).category(), weight, Double::sum);
            brands.merge(BY_ID.get(item).brand(), weight, Double::sum);
        });
        Affinities read = new RedisUserAffinities(direct, 50).of("ev-a1");
        assertThat(read.categories()).isEqualTo(categories);
        assertThat(read.brands()).isEqualTo(brands);
        assertThat(direct.ttl(RedisUserAffinities.key("ev-a1", "brand"))).isBetween(Duration.ofDays(90).toSeconds() - 60,
                                                                                     Duration.ofDays(90).toSeconds());
    }

    @Test
    void affinitiesKeepOnlyTheStrongestFifty() throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        List<String> events = new ArrayList<>();
        Map<String, Double> totals = new HashMap<>();
        ITEMS.forEach(item -> {
            events.add(event("ev-a2", item.itemId(), "click", ts));
            totals.merge(item.brand(), 1.0, Double::sum);
        });
        DemoCatalog.Item favourite = ITEMS.getFirst();
        events.add(event("ev-a2", favourite.itemId(), "purchase", ts));
        totals.merge(favourite.brand(), 5.0, Double::sum);
        assertThat(totals).hasSizeGreaterThan(50);

        accepted(post(batch(events.toArray(String[]::new))), ITEMS.size() + 1);

        List<Tuple> kept = direct.zrevrangeWithScores(RedisUserAffinities.key("ev-a2", "brand"), 0, -1);
        assertThat(kept).hasSize(50);
        kept.forEach(tuple -> assertThat(tuple.getScore()).as(tuple.getElement()).isEqualTo(totals.get(tuple.getElement())));
        double weakestKept = kept.getLast().getScore();
        kept.forEach(tuple -> totals.remove(tuple.getElement()));
        assertThat(totals.values()).as("dropped").allSatisfy(total -> assertThat(total).isLessThanOrEqualTo(weakestKept));
        assertThat(kept.getFirst().getElement()).isEqualTo(favourite.brand());
    }

    @Test
    void trendingWeighsNewerEventsMoreSoScoresCompareAcrossTime() throws Exception {
        Instant now = Instant.now().minusSeconds(5);
        accepted(post(batch(event("ev-t", "ev-t-old", "click", now.minus(Duration.ofHours(2))),
                            event("ev-t", "ev-t-new", "click", now.minus(Duration.ofHours(1))),
                            event("ev-t", "ev-t-bought", "purchase", now.minus(Duration.ofHours(2))),
                            event("ev-t", "ev-t-seen", "impression", now),
                            event("ev-t", "ev-t-two", "click", now.minus(Duration.ofHours(25))),
                            event("ev-t", "ev-t-two", "click", now.minus(Duration.ofHours(25))))), 6);
        // Later batches add to the same scale: no entry is ever rewritten to age it.
        accepted(post(batch(event("ev-t", "ev-t-one", "click", now))), 1);

        assertThat(trending("ev-t-new") / trending("ev-t-old")).isCloseTo(Math.exp(1.0 / 24), within(1e-6));
        assertThat(trending("ev-t-bought") / trending("ev-t-old")).isCloseTo(5, within(1e-6));
        assertThat(trending("ev-t-seen") / trending("ev-t-one")).isCloseTo(0.1, within(1e-6));
        // Two clicks a day ago are worth 2/e ≈ 0.74 of one click now.
        assertThat(trending("ev-t-two")).isLessThan(trending("ev-t-one"));
        assertThat(rank("ev-t-bought")).isLessThan(rank("ev-t-one"));
        assertThat(rank("ev-t-one")).isLessThan(rank("ev-t-new"));
        assertThat(rank("ev-t-new")).isLessThan(rank("ev-t-old"));
        assertThat(rank("ev-t-two")).isLessThan(rank("ev-t-seen"));
    }

    @Test
    void trendingKeepsTheTopTenThousand() throws Exception {
        Map<String, Double> filler = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            filler.put("ev-fill-" + i, 1e-200 * (i + 1));   // far below any real contribution
        }
        direct.zadd(RedisEventSink.TRENDING, filler);
        assertThat(direct.zcard(RedisEventSink.TRENDING)).isGreaterThanOrEqualTo(10_000);

        Instant ts = Instant.now().minusSeconds(5);
        accepted(post(batch(event("ev-tb", "ev-tb-1", "click", ts), event("ev-tb", "ev-tb-2", "impression", ts))), 2);

        assertThat(direct.zcard(RedisEventSink.TRENDING)).isEqualTo(10_000);
        assertThat(direct.zscore(RedisEventSink.TRENDING, "ev-tb-1")).isNotNull();
        assertThat(direct.zscore(RedisEventSink.TRENDING, "ev-tb-2")).isNotNull();
        assertThat(direct.zscore(RedisEventSink.TRENDING, "ev-fill-0")).as("the weakest went first").isNull();
    }

    @Test
    void aBatchIsOneRoundTripToRedis() throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        // Warm: the pooled connection exists and has said hello, so only the batch itself is counted.
        accepted(post(batch(event("ev-rt0", "i30", "click", ts))), 1);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String user = "ev-rt" + (i + 1);
            events.add(event(user, "i" + (31 + i), "click", ts));
            events.add(event(user, "i" + (35 + i), "purchase", ts));
            events.add(rating(user, "i" + (39 + i), 5.0, ts));
            events.add(event(user, "i" + (43 + i), "impression", ts));
        }
        Map<String, Long> before = commandCalls();
        long connections = redisProxy.requests();
        long exchanges = redisProxy.exchanges();

        accepted(post(batch(events.toArray(String[]::new))), 16);

        long exchanged = redisProxy.exchanges() - exchanges;
        Map<String, Long> after = commandCalls();
        // One exchange for the batch (one script: its effects and its record), one for the request's rate-limit step;
        // each pool's once-a-second idle check (a PING per idle connection) may fall in between.
        assertThat(exchanged - delta(before, after, "ping")).as("request/response exchanges with Redis").isEqualTo(2);
        assertThat(redisProxy.requests() - connections).as("new connections").isZero();
        assertThat(delta(before, after, "multi")).isZero();
        assertThat(delta(before, after, "evalsha")).as("the batch and the rate-limit step").isEqualTo(2);
        assertThat(delta(before, after, "incr")).as("one INCR per user").isEqualTo(4);
        assertThat(delta(before, after, "sadd")).isEqualTo(4);
        assertThat(delta(before, after, "lpush")).as("one LPUSH per user").isEqualTo(4);
        assertThat(delta(before, after, "ltrim")).isEqualTo(4);
    }

    @ParameterizedTest(name = "Redis {0}")
    @EnumSource(value = FaultMode.class, names = {"DOWN", "ERROR"})
    void whenRedisCannotTakeTheBatchTheClientIsToldToRetryAndNothingIsApplied(FaultMode mode) throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        String user = "ev-down-" + mode.wireName();
        String body = batch(event(user, "i50", "purchase", ts), rating(user, "i51", 5, ts),
                            event(user, "ev-down-item-" + mode.wireName(), "click", ts));
        double unavailable = metric("braid_events_batches_total", "result=\"unavailable\"");
        redisProxy.mode(mode, Duration.ZERO, Duration.ZERO);

        HttpResponse<String> refused = post(body);
        if (refused.statusCode() == 504) {
            // The batch went out on a pooled connection before the proxy's reset reached it: Braid cannot know whether
            // Redis ran it, and says so. Once the pool has met the reset nothing can be sent, and Braid knows it.
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("may or may not");
            unavailable = metric("braid_events_batches_total", "result=\"unavailable\"");
            refused = post(body);
        }

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).startsWith("events: ")
                .contains("send it again");
        assertThat(metric("braid_events_batches_total", "result=\"unavailable\"")).isEqualTo(unavailable + 1);
        redisProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(direct.exists(generationKey(user), RedisEventSink.purchasedKey(user),
                                 RedisUserAffinities.key(user, "category"), RedisUserAffinities.key(user, "brand"),
                                 HISTORY_PREFIX + "{" + user + "}"))
                .isZero();
        assertThat(direct.zscore(RedisEventSink.TRENDING, "ev-down-item-" + mode.wireName())).isNull();

        // The client's retry, once Redis is back, applies the batch.
        accepted(post(body), 3);
        assertThat(generation(user)).isEqualTo("1");
    }

    @Test
    void aBatchAfterRedisDroppedEveryConnectionIsAppliedOnceOnAFreshOne() throws Exception {
        Instant ts = Instant.now().minusSeconds(30);
        accepted(post(batch(event("ev-stale-warm", "i54", "click", ts))), 1);
        // Every pooled connection dies (a Redis restart, a network blip); Redis itself is back at once.
        redisProxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        redisProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);

        accepted(post(batch(event("ev-stale", "i55", "click", ts), event("ev-stale", "i56", "purchase", ts))), 2);

        assertThat(generation("ev-stale")).isEqualTo("1");
        assertThat(direct.llen(HISTORY_PREFIX + "{ev-stale}")).isEqualTo(2);
    }

    @Test
    void aHungRedisIsNotA503WithoutAKeyTheOutcomeIsUnknownAndTheHeldBatchLandsOnceHealed() throws Exception {
        // The batch must meet the hang on a pooled connection it already holds: a connection opened after the hang
        // began never gets through its handshake, so its batch is known not to have been sent (a truthful 503). The
        // pool's once-a-second idle check can take the pooled one away in between; then the attempt is repeated.
        // A Redis, proxy and instance of its own, without the rate-limit step (whose Redis call would stall the request
        // first), so that neither its hang nor its idle checks touch the other tests' counts.
        try (EmbeddedRedis own = EmbeddedRedis.start(0);
             FaultProxy unlimitedProxy = FaultProxy.start("redis-hang", new InetSocketAddress("127.0.0.1", own.port()), 0);
             UnifiedJedis ownDirect = RedisClient.create(URI.create(own.uri()))) {
            Map<String, String> settings = new LinkedHashMap<>(overrides);
            settings.put("rate-limits.enabled", "false");
            settings.put("redis.url", "redis://127.0.0.1:" + unlimitedProxy.port());
            Braid unlimited = Main.start(TestConfigs.local(settings));
            try {
                hungRedis(unlimited, unlimitedProxy, ownDirect);
            } finally {
                unlimited.stop();
            }
        }
    }

    private static void hungRedis(Braid unlimited, FaultProxy unlimitedProxy, UnifiedJedis ownDirect) throws Exception {
        List<String> notSent = new ArrayList<>();
        String user = null;
        HttpResponse<String> unknown = null;
        Duration took = null;
        for (int attempt = 0; attempt < 5 && unknown == null; attempt++) {
            accepted(post(unlimited, batch(event("ev-hang-warm", "i52", "impression", Instant.now()))), 1);
            unlimitedProxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
            String candidate = "ev-hang-" + attempt;
            long started = System.nanoTime();
            // An impression needs no catalog lookup: the batch reaches Redis right after the hang began.
            HttpResponse<String> answer = post(unlimited, batch(event(candidate, "i53", "impression", Instant.now()),
                                                                event(candidate, "i54", "click", Instant.now())));
            took = Duration.ofNanos(System.nanoTime() - started);
            unlimitedProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
            if (answer.statusCode() == 503) {
                notSent.add(candidate);
            } else {
                unknown = answer;
                user = candidate;
            }
        }

        assertThat(unknown).as("a batch that met the hang on an open connection").isNotNull();
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(504);
        JsonNode problem = JSON.readTree(unknown.body());
        assertThat(problem.get("type").asText()).isEqualTo("https://braid.dev/problems/outcome-unknown");
        assertThat(problem.get("detail").asText()).contains("Idempotency-Key");
        // The write and the one call that asks about it, each bounded by the events timeout.
        assertThat(took).isBetween(REDIS_TIMEOUT.minusMillis(50), REDIS_TIMEOUT.multipliedBy(2).plusSeconds(3));
        // Why a 503 ("not applied") would have been a lie: a timeout cannot say whether Redis will still run what it
        // was sent, and the proxy delivers the held bytes once healed, as a slow network would.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ownDirect.get(generationKey(user)) == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ownDirect.get(generationKey(user))).isEqualTo("1");
        // The 503s were true: their batches never reached Redis.
        notSent.forEach(candidate -> assertThat(ownDirect.get(generationKey(candidate))).as(candidate).isNull());
    }

    @Test
    void withoutTheCatalogTheBatchIsAppliedWithoutAffinitiesAndTheSkipIsCounted() throws Exception {
        double skips = metric("braid_events_affinity_skips_total");
        double clicks = metric("braid_events_total", "type=\"click\"");
        openSearchProxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        Instant ts = Instant.now().minusSeconds(30);
        accepted(post(batch(event("ev-nocat", "i60", "click", ts), event("ev-nocat", "i61", "purchase", ts))), 2);

        assertThat(generation("ev-nocat")).isEqualTo("1");
        assertThat(direct.smembers(RedisEventSink.purchasedKey("ev-nocat"))).containsExactly("i61");
        assertThat(direct.zscore(RedisEventSink.TRENDING, "i60")).isNotNull();
        assertThat(direct.exists(RedisUserAffinities.key("ev-nocat", "category"))).isFalse();
        assertThat(metric("braid_events_affinity_skips_total")).isEqualTo(skips + 1);
        assertThat(metric("braid_events_total", "type=\"click\"")).isEqualTo(clicks + 1);
    }

    // Same key as RedisSharedStore.generationKey (the cache's user generation).
    private static String generationKey(String user) {
        return dev.braid.redis.RedisSharedStore.generationKey(user);
    }

    private static String generation(String user) {
        return direct.get(generationKey(user));
    }

    private static double trending(String item) {
        Double score = direct.zscore(RedisEventSink.TRENDING, item);
        assertThat(score).as("trending score of %s", item).isNotNull();
        return score;
    }

    private static long rank(String item) {
        return direct.zrevrank(RedisEventSink.TRENDING, item);
    }

    /** Calls per command since Redis started, from {@code INFO commandstats}. */
    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        Matcher matcher = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)").matcher(direct.info("commandstats"));
        while (matcher.find()) {
            calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return calls;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    /** A counter's value from the admin port's Prometheus text, the series with all {@code labels}; 0 when absent. */
    private static double metric(String name, String... labels) throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort()
                                                                        + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines()
                .filter(line -> (line.startsWith(name + "{") || line.startsWith(name + " "))
                                && java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    private static void accepted(HttpResponse<String> response, int count) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(count);
    }





    private static HttpResponse<String> post(String body) throws Exception {
        return post(braid, body);
    }

    private static HttpResponse<String> post(Braid instance, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.apiPort() + "/v1/events"))
                                   .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                   .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                           HttpResponse.BodyHandlers.ofString());
    }
}
