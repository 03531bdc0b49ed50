package dev.braid.events;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.redis.RedisEventSink;
import dev.braid.redis.RedisSharedStore;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static dev.braid.events.EventJson.batch;
import static dev.braid.events.EventJson.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every batch takes effect once, from the caller's point of view, through three replicas sharing one real Redis behind a
 * fault proxy: duplicates with one key apply once and replay (the counts in Redis prove it), another body is a 422, 50
 * concurrent identical requests apply once, a Redis connection killed mid-request leaves no batch half-applied and the
 * retries with their keys converge to exactly one application, a reply lost after Redis committed is replayed on the
 * retry, and, without a key, every 503 under load means the batch was not applied.
 */
@ExtendWith(RedisExtension.class)
class IdempotencyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int REPLICAS = 3;
    private static final Duration EVENTS_TIMEOUT = Duration.ofMillis(300);
    private static final Duration LOCK_TTL = Duration.ofSeconds(2);
    private static final int MAX_KEYS = 5;
    private static final AtomicInteger IDS = new AtomicInteger();

    private static FaultProxy redisProxy;
    private static UnifiedJedis direct;
    private static final List<Braid> replicas = new ArrayList<>();
    private static Map<String, String> overrides;

    @BeforeAll
    static void start(EmbeddedRedis redis) throws IOException {
        redisProxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        direct = RedisClient.create(URI.create(redis.uri()));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        overrides = new LinkedHashMap<>();
        overrides.put("redis.url", "redis://127.0.0.1:" + redisProxy.port());
        overrides.put("redis.timeout", "200ms");
        overrides.put("events.timeout", EVENTS_TIMEOUT.toMillis() + "ms");
        overrides.put("events.idempotency.lock-ttl", LOCK_TTL.toMillis() + "ms");
        overrides.put("events.idempotency.max-keys", Integer.toString(MAX_KEYS));
        // No catalog: affinities are skipped at once (connection refused), which this test does not look at.
        overrides.put("opensearch.url", "http://127.0.0.1:" + closedPort);
        overrides.put("sources.trending.url", "http://127.0.0.1:" + closedPort + "/v1/trending");
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(Main.start(TestConfigs.local(overrides)));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        redisProxy.close();
        direct.close();
    }

    @AfterEach
    void heal() {
        redisProxy.reset();
    }

    @Test
    void duplicatesWithOneKeyOnEveryReplicaApplyOnceAndReplayTheFirstAnswer() throws Exception {
        String caller = caller();
        String user = caller + "-u";
        Instant ts = ts();
        // Items of this test alone: trending:items is shared by every test of the JVM.
        String item = caller + "-i1";
        String body = batch(event(user, item, "click", ts), event(user, "i2", "purchase", ts),
                            event(user, item, "impression", ts));
        String key = UUID.randomUUID().toString();

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(post(replicas.get(i % REPLICAS), caller, body, key));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(answer.body()).isEqualTo("{\"accepted\":3}");
        });
        assertThat(answers.getFirst().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(answers.subList(1, answers.size())).allSatisfy(answer -> assertThat(
                answer.headers().firstValue("Idempotent-Replayed")).contains("true"));
        // The counts in Redis: one application.
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
        assertThat(direct.llen("history:{" + user + "}")).isEqualTo(2);
        assertThat(direct.smembers(RedisEventSink.purchasedKey(user))).containsExactly("i2");
        double once = Math.exp(TrendingDecay.logSum(TrendingDecay.logScore(1, ts), TrendingDecay.logScore(0.1, ts))
                               - base());
        assertThat(direct.zscore(RedisEventSink.TRENDING, item)).isCloseTo(once, org.assertj.core.data.Percentage
                .withPercentage(1e-6));
    }

    @Test
    void theSameKeyWithAnotherBodyIsA422OnAnyReplicaAndAppliesNothing() throws Exception {
        String caller = caller();
        String user = caller + "-u";
        String key = UUID.randomUUID().toString();
        assertThat(post(replicas.get(0), caller, batch(event(user, "i3", "click", ts())), key).statusCode())
                .isEqualTo(202);

        for (Braid replica : replicas) {
            HttpResponse<String> other = post(replica, caller, batch(event(user, "i4", "purchase", ts())), key);
            assertThat(other.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(other.body()).get("type").asText())
                    .isEqualTo("https://braid.dev/problems/idempotency-key-reused");
        }
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
        assertThat(direct.exists(RedisEventSink.purchasedKey(user))).isFalse();
    }

    @Test
    void fiftyConcurrentIdenticalRequestsOnThreeReplicasApplyExactlyOnce() throws Exception {
        String caller = caller();
        String user = caller + "-u";
        String body = batch(event(user, "i5", "click", ts()), event(user, "i6", "add_to_cart", ts()));
        String key = UUID.randomUUID().toString();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                Braid replica = replicas.get(i % REPLICAS);
                futures.add(threads.submit(() -> {
                    go.await();
                    return post(replica, caller, body, key);
                }));
            }
            go.countDown();
        }
        int applied = 0;
        int replayed = 0;
        int inFlight = 0;
        for (Future<HttpResponse<String>> future : futures) {
            HttpResponse<String> answer = future.get();
            if (answer.statusCode() == 409) {
                inFlight++;
                assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                continue;
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(answer.body()).isEqualTo("{\"accepted\":2}");
            if (answer.headers().firstValue("Idempotent-Replayed").isPresent()) {
                replayed++;
            } else {
                applied++;
            }
        }

        assertThat(applied).as("answers that applied the batch").isEqualTo(1);
        assertThat(applied + replayed + inFlight).isEqualTo(50);
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
        assertThat(direct.llen("history:{" + user + "}")).isEqualTo(2);
        // Once the first is done, everyone gets its answer.
        HttpResponse<String> after = post(replicas.get(1), caller, body, key);
        assertThat(after.statusCode()).isEqualTo(202);
        assertThat(after.headers().firstValue("Idempotent-Replayed")).contains("true");
    }

    @Test
    void redisKilledMidRequestLeavesNoBatchHalfAppliedAndTheRetriesWithTheirKeysApplyEachExactlyOnce() throws Exception {
        int usersPerBatch = 20;
        Map<String, List<String>> usersOf = new ConcurrentHashMap<>();
        Map<String, String> bodyOf = new ConcurrentHashMap<>();
        Map<String, String> callerOf = new ConcurrentHashMap<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                int worker = t;
                workers.add(threads.submit(() -> {
                    for (int n = 0; flooding.get(); n++) {
                        String caller = caller();
                        List<String> users = new ArrayList<>();
                        List<String> events = new ArrayList<>();
                        for (int u = 0; u < usersPerBatch; u++) {
                            String user = caller + "-u" + u;
                            users.add(user);
                            events.add(event(user, "k" + u, "click", ts()));
                            events.add(event(user, "k" + u, "purchase", ts()));
                        }
                        String key = "kill-" + worker + "-" + n + "-" + UUID.randomUUID();
                        String body = batch(events.toArray(String[]::new));
                        usersOf.put(key, users);
                        bodyOf.put(key, body);
                        callerOf.put(key, caller);
                        HttpResponse<String> answer = post(replicas.get((worker + n) % REPLICAS), caller, body, key);
                        if (answer.statusCode() != 202) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            // Kill Redis's connections three times while batches are in flight: every connection open is reset, new
            // ones too, for a moment.
            for (int kill = 0; kill < 3; kill++) {
                awaitBatches(usersOf, 15 * (kill + 1));
                redisProxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
                Thread.sleep(150);
                redisProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
            }
            awaitBatches(usersOf, 60);
            flooding.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        assertThat(refused.get()).as("requests the kills failed (else nothing was tested)").isPositive();

        // No batch is half-applied: all of its users have its effects, or none has.
        for (Map.Entry<String, List<String>> batch : usersOf.entrySet()) {
            long withEffects = batch.getValue().stream()
                    .filter(user -> direct.exists(RedisSharedStore.generationKey(user))).count();
            assertThat(withEffects).as("users of batch %s with its effects", batch.getKey())
                    .isIn(0L, (long) usersPerBatch);
        }
        // Every batch again, with its key, until it is answered: each is then applied exactly once.
        for (String key : usersOf.keySet()) {
            HttpResponse<String> answer = untilAnswered(callerOf.get(key), bodyOf.get(key), key);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        }
        for (List<String> users : usersOf.values()) {
            for (String user : users) {
                assertThat(direct.get(RedisSharedStore.generationKey(user))).as(user).isEqualTo("1");
                assertThat(direct.llen("history:{" + user + "}")).as(user).isEqualTo(2);
            }
        }
    }

    @Test
    void aReplyLostAfterRedisCommittedIsReplayedOnTheRetry() throws Exception {
        // An instance whose catalog accepts and never answers: each batch with a click waits for it between claiming
        // its key and applying, which is when this test makes Redis's replies late.
        try (ServerSocket hungCatalog = new ServerSocket(0)) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(hungCatalog.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Map<String, String> settings = new LinkedHashMap<>(overrides);
            settings.put("opensearch.url", "http://127.0.0.1:" + hungCatalog.getLocalPort());
            settings.put("catalog.timeout", "1s");
            Braid slowCatalog = Main.start(TestConfigs.local(settings));
            try {
                String caller = caller();
                String user = caller + "-u";
                String key = UUID.randomUUID().toString();
                String body = batch(event(user, "i7", "click", ts()));
                String record = RedisEventSink.recordKey(new IdempotencyKey("u:" + caller, key));
                Future<HttpResponse<String>> first;
                try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    first = threads.submit(() -> post(slowCatalog, caller, body, key));
                    // The key is claimed; the catalog lookup holds the request before it applies the batch.
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (!"in_flight".equals(direct.hget(record, "state")) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertThat(direct.hget(record, "state")).isEqualTo("in_flight");
                    // Requests still reach Redis; its replies come far later than the events timeout.
                    redisProxy.mode(FaultMode.SLOW, Duration.ofSeconds(3), Duration.ZERO);
                    HttpResponse<String> lost = first.get();
                    assertThat(lost.statusCode()).as(lost.body()).isEqualTo(503);
                }
                // Redis committed: the batch and its record.
                assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
                assertThat(direct.hget(record, "state")).isEqualTo("done");
                redisProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);

                HttpResponse<String> retry = post(replicas.get(2), caller, body, key);

                assertThat(retry.statusCode()).isEqualTo(202);
                assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
                assertThat(retry.body()).isEqualTo("{\"accepted\":1}");
                assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo("1");
            } finally {
                slowCatalog.stop();
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void withoutAKeyEvery503UnderLoadMeansTheBatchWasNotApplied() throws Exception {
        Map<String, Integer> statusOf = new ConcurrentHashMap<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Future<?>> workers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                int worker = t;
                workers.add(threads.submit(() -> {
                    for (int n = 0; flooding.get(); n++) {
                        String user = caller() + "-nokey";
                        HttpResponse<String> answer = post(replicas.get((worker + n) % REPLICAS), null,
                                                           batch(event(user, "n1", "click", ts()),
                                                                 event(user, "n2", "impression", ts())), null);
                        statusOf.put(user, answer.statusCode());
                    }
                    return null;
                }));
            }
            // Faults while 16 connections flood: connections reset, then replies slower than the events timeout.
            for (int round = 0; round < 2; round++) {
                awaitAnswers(statusOf, 100 * (2 * round + 1));
                redisProxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
                Thread.sleep(100);
                redisProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
                awaitAnswers(statusOf, 100 * (2 * round + 2));
                redisProxy.mode(FaultMode.SLOW, EVENTS_TIMEOUT.multipliedBy(2), Duration.ZERO);
                Thread.sleep(700);
                redisProxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
            }
            awaitAnswers(statusOf, 500);
            flooding.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        statusOf.values().forEach(status -> counts.merge(status, 1, Integer::sum));
        assertThat(counts.getOrDefault(503, 0)).as("503s under load (else nothing was tested): %s", counts).isPositive();
        assertThat(counts.keySet()).as("answers: %s", counts).isSubsetOf(202, 503, 504);
        statusOf.forEach((user, status) -> {
            String generation = direct.get(RedisSharedStore.generationKey(user));
            switch (status) {
                case 202 -> assertThat(generation).as("applied once: " + user).isEqualTo("1");
                case 503 -> assertThat(generation).as("503 means not applied: " + user).isNull();
                default -> assertThat(generation).as("outcome unknown, but never twice: " + user).isIn(null, "1");
            }
        });
    }

    @Test
    void aCallersKeysAreBoundedInCountTheOldestForgottenFirst() throws Exception {
        String caller = caller();
        String user = caller + "-u";
        List<String> keys = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i <= MAX_KEYS; i++) {
            keys.add("bound-" + i);
            bodies.add(batch(event(user, "b" + i, "click", ts())));
            assertThat(post(replicas.get(i % REPLICAS), caller, bodies.get(i), keys.get(i)).statusCode()).isEqualTo(202);
        }

        assertThat(direct.zcard(RedisEventSink.indexKey("u:" + caller))).isEqualTo(MAX_KEYS);
        assertThat(direct.exists(RedisEventSink.recordKey(new IdempotencyKey("u:" + caller, keys.getFirst()))))
                .isFalse();
        // The newest are kept and replayed; the oldest was forgotten, so its batch counts as a new one.
        HttpResponse<String> newest = post(replicas.get(0), caller, bodies.getLast(), keys.getLast());
        assertThat(newest.headers().firstValue("Idempotent-Replayed")).contains("true");
        HttpResponse<String> oldest = post(replicas.get(0), caller, bodies.getFirst(), keys.getFirst());
        assertThat(oldest.statusCode()).isEqualTo(202);
        assertThat(oldest.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(direct.get(RedisSharedStore.generationKey(user))).isEqualTo(Integer.toString(MAX_KEYS + 2));
    }

    /** Retries with the key until the answer is no longer 409 (a killed request's lock) or 503, within a bound. */
    private static HttpResponse<String> untilAnswered(String caller, String body, String key) throws Exception {
        long deadline = System.nanoTime() + LOCK_TTL.multipliedBy(5).toNanos();
        HttpResponse<String> answer = post(replicas.getFirst(), caller, body, key);
        while ((answer.statusCode() == 409 || answer.statusCode() == 503) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            answer = post(replicas.getFirst(), caller, body, key);
        }
        return answer;
    }

    private static void awaitBatches(Map<String, ?> sent, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sent.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void awaitAnswers(Map<String, Integer> answered, int count) throws InterruptedException {
        awaitBatches(answered, count);
    }

    /** The scale's base the rebase job may have moved (0 until it runs). */
    private static double base() {
        String base = direct.get(RedisEventSink.TRENDING_BASE);
        return base == null ? 0 : Double.parseDouble(base);
    }

    private static String caller() {
        return "idem-" + IDS.incrementAndGet();
    }

    private static Instant ts() {
        return Instant.now().minusSeconds(60);
    }

    /** POST /v1/events naming {@code caller} as the request's user (the key's scope), with {@code key} when not null. */
    private static HttpResponse<String> post(Braid replica, String caller, String body, String key) throws Exception {
        String query = caller == null ? "" : "?user=" + caller;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + replica.apiPort() + "/v1/events" + query))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
