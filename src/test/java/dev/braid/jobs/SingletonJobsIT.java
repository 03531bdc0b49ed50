package dev.braid.jobs;

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
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Components;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.recommend.pipeline.PopularItems;
import dev.braid.redis.RedisEventSink;
import dev.braid.redis.RedisLeases;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Singleton jobs through three replicas, each reaching the one real Redis through a fault proxy of its own (so one can
 * die alone): exactly one replica holds each job and every replica serves the popular list it published; a holder cut
 * off from Redis hands the job over within the lease's time to live; and a holder paused past its lease (the
 * stop-the-world test hook) cannot overwrite what its successor wrote.
 */
@ExtendWith({RedisExtension.class, OpenSearchExtension.class})
class SingletonJobsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ALIAS = "catalog-jobs";
    private static final String POPULAR = PopularItems.job(ALIAS);
    private static final String REBASE = Components.TRENDING_REBASE;
    private static final Duration TTL = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final List<FaultProxy> proxies = new ArrayList<>();
    private static final List<Braid> replicas = new ArrayList<>();
    private static UnifiedJedis direct;

    @BeforeAll
    static void start(EmbeddedRedis redis, EmbeddedOpenSearch openSearch) {
        DemoCatalogLoader.load(openSearch.uri(), ALIAS, DemoCatalog.generate(200, 77));
        direct = RedisClient.create(URI.create(redis.uri()));
        for (int i = 0; i < 3; i++) {
            FaultProxy proxy = FaultProxy.start("redis-" + i, new InetSocketAddress("127.0.0.1", redis.port()), 0);
            proxies.add(proxy);
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("redis.url", "redis://127.0.0.1:" + proxy.port());
            overrides.put("redis.timeout", "200ms");
            overrides.put("opensearch.url", openSearch.uri().toString());
            overrides.put("catalog.index", ALIAS);
            overrides.put("jobs.lease-ttl", TTL.toMillis() + "ms");
            overrides.put("popular.timeout", "700ms");
            overrides.put("popular.refresh", "1s");
            overrides.put("popular.size", "50");
            overrides.put("sources.trending.url", "http://127.0.0.1:9/v1/trending");
            replicas.add(Main.start(TestConfigs.local(overrides)));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        proxies.forEach(FaultProxy::close);
        direct.close();
    }

    @AfterEach
    void heal() throws Exception {
        proxies.forEach(FaultProxy::reset);
        await(() -> holders(POPULAR).size() == 1 && holders(REBASE).size() == 1, "one holder of each job again");
    }

    @Test
    void oneReplicaHoldsEachJobAndEveryReplicaServesThePopularListItPublished() throws Exception {
        await(() -> holders(POPULAR).size() == 1, "one holder of " + POPULAR);
        SingletonJob holder = holders(POPULAR).getFirst();
        await(() -> String.valueOf(holder.fence()).equals(direct.hget(RedisLeases.resultKey(POPULAR), "fence")),
              "the holder's list published under its token");
        List<String> published = new ArrayList<>();
        JSON.readTree(direct.hget(RedisLeases.resultKey(POPULAR), "value"))
                .forEach(item -> published.add(item.get("itemId").asText()));

        assertThat(published).hasSize(50);
        assertThat(holders(REBASE)).hasSize(1);
        // The others read it each refresh instead of asking the catalog.
        await(() -> replicas.stream().allMatch(replica -> replica.components().popular().current().equals(published)),
              "every replica serving the published list");
        assertThat(metric(replicas.getFirst(), "braid_job_lease_held", "job=\"" + POPULAR + "\"")).isEqualTo(1);
    }

    @Test
    void aHolderCutOffFromRedisHandsTheJobOverWithinTheLeaseTtl() throws Exception {
        await(() -> holders(POPULAR).size() == 1, "one holder of " + POPULAR);
        SingletonJob holder = holders(POPULAR).getFirst();
        int index = replicaOf(holder, POPULAR);
        long fence = holder.fence();
        long takeoversBefore = takeovers(POPULAR);

        long killed = System.nanoTime();
        proxies.get(index).mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        await(() -> holders(POPULAR).stream().anyMatch(job -> job != holder), "another replica holding " + POPULAR);
        Duration handover = Duration.ofNanos(System.nanoTime() - killed);

        SingletonJob successor = holders(POPULAR).stream().filter(job -> job != holder).findFirst().orElseThrow();
        // Within the lease's time to live of the cut (plus the scheduling of a busy test JVM).
        assertThat(handover).isLessThanOrEqualTo(TTL.plusMillis(500));
        assertThat(successor.fence()).isGreaterThan(fence);
        assertThat(takeovers(POPULAR)).isEqualTo(takeoversBefore + 1);
        await(() -> String.valueOf(successor.fence()).equals(direct.hget(RedisLeases.resultKey(POPULAR), "fence")),
              "the successor's list published");

        // The cut-off holder stopped doing the job once its lease had expired, and knows it lost the lease once back.
        await(() -> !holder.holding(), "the cut-off holder giving the job up");
        proxies.get(index).reset();
        assertThat(holders(POPULAR)).containsExactly(successor);
    }

    @Test
    void aHolderPausedPastItsLeaseCannotOverwriteItsSuccessorsRebase() throws Exception {
        await(() -> holders(REBASE).size() == 1, "one holder of " + REBASE);
        SingletonJob paused = holders(REBASE).getFirst();
        long staleFence = paused.fence();
        SingletonJob.Stats before = paused.stats();
        double rejectedBefore = metric(replicas.getFirst(), "braid_job_fenced_writes_rejected_total",
                                       "job=\"" + REBASE + "\"");

        // The world stops just before the holder's write: no renewal, the run waits at its checkpoint.
        SingletonJob.Pause pause = paused.pause();
        SingletonJob successor;
        String base;
        try {
            paused.runNow();
            await(() -> holders(REBASE).stream().anyMatch(job -> job != paused), "a successor taking the lease over");
            successor = holders(REBASE).stream().filter(job -> job != paused).findFirst().orElseThrow();
            assertThat(successor.fence()).isGreaterThan(staleFence);
            await(() -> String.valueOf(successor.fence()).equals(direct.get(trendingFence())), "the successor's rebase");
            base = direct.get(RedisEventSink.TRENDING_BASE);
        } finally {
            // Also when an assertion failed: a run left waiting at its checkpoint would hold the job for the next test.
            pause.resume();
        }
        await(() -> paused.stats().runs() > before.runs(), "the paused run finishing");

        assertThat(paused.stats().fenced()).isEqualTo(before.fenced() + 1);
        assertThat(direct.get(trendingFence())).isEqualTo(String.valueOf(successor.fence()));
        assertThat(direct.get(RedisEventSink.TRENDING_BASE)).isEqualTo(base);
        assertThat(metric(replicas.getFirst(), "braid_job_fenced_writes_rejected_total", "job=\"" + REBASE + "\""))
                .isEqualTo(rejectedBefore + 1);
        await(() -> !paused.holding(), "the paused holder finding its lease gone");
        assertThat(holders(REBASE)).containsExactly(successor);
    }

    private static String trendingFence() {
        return RedisEventSink.TRENDING_FENCE;
    }

    private static List<SingletonJob> holders(String job) {
        return replicas.stream().map(replica -> replica.components().jobs().get(job))
                .filter(SingletonJob::holding).toList();
    }

    private static int replicaOf(SingletonJob job, String name) {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).components().jobs().get(name) == job) {
                return i;
            }
        }
        throw new AssertionError("no replica runs " + job);
    }

    private static long takeovers(String job) {
        return replicas.stream().mapToLong(replica -> replica.components().jobs().get(job).stats().takeovers()).sum();
    }

    /** Polls {@code condition} every 20 ms for at most {@link #WAIT}; fails naming {@code what}. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    /** A series' value from the admin port's Prometheus text; 0 when absent. */
    private static double metric(Braid replica, String name, String label) throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.adminPort()
                                                                        + "/observe/metrics"))
                                                     .timeout(Duration.ofSeconds(5)).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
