package dev.braid.ratelimit;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A downstream's {@code rate-limit} is a quota for the whole fleet: three replicas loading the trending source far
 * beyond it send the simulator (whose request counter is the judge) no more than the quota plus 10%, while Redis counts
 * for all of them; and with Redis unreachable each replica allows its share, so the fleet still stays within the quota
 * plus 10%. Refused calls are the source's {@code rate_limited}; {@code /admin/quotas} says how the quota is counted.
 */
@ExtendWith(RedisExtension.class)
class DownstreamQuotaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int QUOTA = 30;
    private static final int BURST = 6;
    private static final int REPLICAS = 3;
    private static final Duration LOAD = Duration.ofSeconds(4);
    private static final AtomicInteger USERS = new AtomicInteger();

    private static TrendingSimulator trending;
    private static FaultProxy redisProxy;
    private static final List<Braid> replicas = new ArrayList<>();

    @BeforeAll
    static void start(EmbeddedRedis redis) {
        trending = new TrendingSimulator(DemoCatalog.itemIds(200), Duration.ofMillis(1)).start(0);
        redisProxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("redis.url", "redis://127.0.0.1:" + redisProxy.port());
        overrides.put("redis.timeout", "200ms");
        // The count's breaker opens at the first failure: with Redis gone, each replica is on its share at once.
        overrides.put("redis.breaker.failures", "1");
        overrides.put("redis.breaker.open-for", "500ms");
        overrides.put("rate-limits.replicas", Integer.toString(REPLICAS));
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("sources.trending.rate-limit", Integer.toString(QUOTA));
        overrides.put("sources.trending.rate-burst", Integer.toString(BURST));
        overrides.put("sources.trending.retry.attempts", "1");
        // A busy machine's slow answer still counts as a call received: nothing here is about timeouts.
        overrides.put("sources.trending.timeout", "2s");
        overrides.put("sources.trending.breaker.volume", "100000");
        overrides.put("cache.enabled", "false");
        overrides.put("surfaces.home.budget", "3s");
        overrides.put("surfaces.home.fallback-items", "i1,i2");
        overrides.put("opensearch.url", "http://127.0.0.1:9");
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(Main.start(TestConfigs.local(overrides)));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        redisProxy.close();
        trending.close();
    }

    @AfterEach
    void heal() {
        redisProxy.reset();
    }

    @Test
    void threeReplicasTogetherSendTheSimulatorNoMoreThanTheQuotaPlusTenPercent() throws Exception {
        Load load = load();

        // GCRA: the burst at once, then one call per 1/QUOTA s.
        assertThat(load.calls()).as("calls the simulator received in %s", load.took())
                .isLessThanOrEqualTo((long) (QUOTA * seconds(load.took()) * 1.1) + BURST);
        assertThat(load.limited()).as("calls the quota refused (else the load never reached it)").isPositive();
        assertThat(load.calls()).as("the quota was used").isGreaterThanOrEqualTo((long) (QUOTA * seconds(load.took()) * 0.3));
        JsonNode quota = quotas(replicas.get(1)).get("trending");
        assertThat(quota.get("per_second").asDouble()).isEqualTo(QUOTA);
        assertThat(quota.get("replicas").asInt()).isEqualTo(REPLICAS);
        assertThat(quota.get("fallback_per_second").asDouble()).isEqualTo(10.0);
        assertThat(quota.get("counted_by").asText()).isEqualTo("fleet");
        assertThat(quota.get("fleet_available_now").asLong()).isBetween(0L, (long) BURST);
    }

    @Test
    void withRedisDownEachReplicaAllowsItsShareAndTheFleetStaysWithinTheQuotaPlusTenPercent() throws Exception {
        redisProxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        Load load = load();

        // Each replica: QUOTA / REPLICAS a second, a burst of BURST / REPLICAS (at least 1).
        assertThat(load.calls()).as("calls the simulator received in %s", load.took())
                .isLessThanOrEqualTo((long) (QUOTA * seconds(load.took()) * 1.1) + REPLICAS * Math.max(1, BURST / REPLICAS));
        assertThat(load.limited()).as("calls the shares refused (else the load never reached them)").isPositive();
        assertThat(load.calls()).as("the shares were used (%s requests)", load.requests())
                .isGreaterThanOrEqualTo((long) (QUOTA * seconds(load.took()) * 0.3));
        JsonNode quota = quotas(replicas.getFirst()).get("trending");
        assertThat(quota.get("counted_by").asText()).isEqualTo("replica");
        assertThat(quota.get("fleet_available_now").isNull()).isTrue();
    }

    /** What the load of one phase did: requests sent, calls the simulator received, calls refused, how long it took. */
    private record Load(long requests, long calls, long limited, Duration took) {
    }

    /** Sixteen threads per replica, each asking for a new user's list again and again, for {@link #LOAD}. */
    private static Load load() throws Exception {
        long before = trending.requests();
        double limitedBefore = limited();
        AtomicInteger sent = new AtomicInteger();
        long started = System.nanoTime();
        long end = started + LOAD.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16 * REPLICAS; t++) {
                Braid replica = replicas.get(t % REPLICAS);
                workers.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + replica.apiPort() + "/v1/recommendations?user=quota-"
                                + USERS.incrementAndGet())).timeout(Duration.ofSeconds(5)).build(),
                                                                  HttpResponse.BodyHandlers.ofString());
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new Load(sent.get(), trending.requests() - before, (long) (limited() - limitedBefore), took);
    }

    /** Calls the trending quota refused so far, on every replica of this JVM. */
    private static double limited() throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replicas.getFirst().adminPort()
                                                                        + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("braid_source_quota_total{") && line.contains("limited")
                                              && line.contains("source=\"trending\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static JsonNode quotas(Braid replica) throws Exception {
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + replica.adminPort() + "/admin/quotas"))
                                                          .header("Authorization", "Bearer test-admin-token").build(),
                                                  HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("quotas");
    }
}
