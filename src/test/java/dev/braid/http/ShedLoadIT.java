package dev.braid.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.FaultMode;
import dev.braid.testing.RawHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load shedding on three replicas against a hung downstream: with more concurrent requests than a replica's bound, the
 * excess is answered 503 with Retry-After at once (p99 under 10 ms), counted, and never queued until its deadline;
 * readiness and the admin port answer throughout, {@code /admin/config} shows the bound; and once the load stops every
 * replica serves normally again.
 */
class ShedLoadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int BOUND = 16;
    /** Excess requests per replica. */
    private static final int EXCESS = 100;
    private static final int WARM_UP = 10;
    private static final Duration BUDGET = Duration.ofSeconds(4);
    private static final AtomicInteger USERS = new AtomicInteger();

    private static TrendingSimulator trending;
    private static final List<Braid> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        trending = new TrendingSimulator(DemoCatalog.itemIds(200), Duration.ofMillis(1)).start(0);
        for (int i = 0; i < 3; i++) {
            replicas.add(Main.start(TestConfigs.local(Map.of(
                    "server.max-concurrent-requests", Integer.toString(BOUND),
                    "sources.trending.url", trending.endpoint(),
                    "sources.trending.timeout", BUDGET.toMillis() + "ms",
                    "sources.trending.retry.attempts", "1",
                    "sources.trending.breaker.volume", "100000",
                    "surfaces.home.budget", BUDGET.toMillis() + "ms",
                    "surfaces.home.fallback-items", "i1,i2",
                    "cache.enabled", "false",
                    "redis.url", "redis://127.0.0.1:9",
                    "opensearch.url", "http://127.0.0.1:9"))));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        trending.close();
    }

    @Test
    void theExcessIsShedAtOnceOnEveryReplicaAndEveryReplicaRecoversOnceTheLoadStops() throws Exception {
        trending.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        long shedBefore = replicas.getFirst().components().meters().shedCount();
        List<RawHttp> held = new ArrayList<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger other = new AtomicInteger();
        try {
            // Every replica at its bound: BOUND requests each, all waiting on the hung downstream.
            long hungBefore = trending.requests();
            for (Braid replica : replicas) {
                for (int i = 0; i < BOUND; i++) {
                    RawHttp connection = RawHttp.connect(replica.apiPort());
                    connection.send(get("held-" + USERS.incrementAndGet()));
                    held.add(connection);
                }
            }
            await(() -> trending.requests() - hungBefore >= (long) BOUND * replicas.size(), "every replica at its bound");

            // A first excess, not measured: the JIT compiles the shedding path before it is timed.
            for (Braid replica : replicas) {
                for (int i = 0; i < WARM_UP; i++) {
                    shed(replica, new ArrayList<>(), other);
                }
            }
            // Garbage from starting three replicas is collected now, not in the middle of the measurement.
            System.gc();
            // The excess, one request after another round the replicas, each on a connection opened beforehand: every
            // replica stays at its bound the whole time, and each answer's latency is the shedding's own, not that of a
            // client's threads competing for two busy cores.
            List<RawHttp> connections = new ArrayList<>();
            for (int i = 0; i < EXCESS * replicas.size(); i++) {
                connections.add(RawHttp.connect(replicas.get(i % replicas.size()).apiPort()));
            }
            List<Future<?>> sent = new ArrayList<>();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                sent.add(threads.submit(() -> {
                    for (RawHttp connection : connections) {
                        latencies.add(shedOn(connection, other));
                    }
                    return null;
                }));
                // Readiness and the admin port while every replica sheds.
                for (Braid replica : replicas) {
                    assertThat(admin(replica, "/observe/health/ready").statusCode()).isEqualTo(200);
                    HttpResponse<String> config = admin(replica, "/admin/config");
                    assertThat(config.statusCode()).isEqualTo(200);
                    assertThat(JSON.readTree(config.body()).get("server").get("max-concurrent-requests").asInt())
                            .isEqualTo(BOUND);
                }
                for (Future<?> future : sent) {
                    future.get();
                }
            }
        } finally {
            // The load stops: the hung downstream lets go, the held requests finish.
            trending.reset();
            held.forEach(RawHttp::close);
        }

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        assertThat(other.get()).as("excess requests not shed (each replica was at its bound)").isZero();
        assertThat(sorted).hasSize(EXCESS * replicas.size());
        long p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
        long p50 = sorted.get(sorted.size() / 2);
        assertThat(Duration.ofNanos(p99)).as("p99 of a shed answer (p50 %s ms)", p50 / 1e6)
                .isLessThan(Duration.ofMillis(10));
        assertThat(replicas.getFirst().components().meters().shedCount() - shedBefore)
                .isEqualTo(sorted.size() + (long) WARM_UP * replicas.size());

        // Back to normal everywhere: answered, complete, from the downstream.
        for (Braid replica : replicas) {
            await(() -> normal(replica), "replica on " + replica.apiPort() + " serving normally again");
        }
    }

    /** One excess request on a new connection; its latency is added to {@code latencies}. */
    private static void shed(Braid replica, List<Long> latencies, AtomicInteger other) throws Exception {
        try (RawHttp connection = RawHttp.connect(replica.apiPort())) {
            latencies.add(shedOn(connection, other));
        }
    }

    /**
     * Sends one request on {@code connection} and reads the whole answer, as a client does: a 503 problem with
     * Retry-After, the connection closed after it. Its latency in nanoseconds (counted in {@code other} when not shed).
     */
    private static long shedOn(RawHttp connection, AtomicInteger other) throws Exception {
        long started = System.nanoTime();
        connection.send(get("excess-" + USERS.incrementAndGet()));
        RawHttp.Response response = connection.firstResponse(BUDGET.multipliedBy(2));
        long took = System.nanoTime() - started;
        if (response.status() != 503) {
            other.incrementAndGet();
        } else {
            assertThat(response.header("Retry-After")).isEqualTo("1");
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("concurrent requests");
            assertThat(connection.closedBy(Duration.ofSeconds(2))).as("closed after the 503").isTrue();
        }
        connection.close();
        return took;
    }

    private static boolean normal(Braid replica) {
        try {
            HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + replica.apiPort() + "/v1/recommendations?user=after-" + USERS.incrementAndGet()))
                                                              .timeout(Duration.ofSeconds(5)).build(),
                                                      HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return false;
            }
            JsonNode body = JSON.readTree(answer.body());
            return "ok".equals(body.path("sources").path("trending").path("status").asText());
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> admin(Braid replica, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.adminPort() + path))
                                   .header("Authorization", "Bearer test-admin-token").timeout(Duration.ofSeconds(5))
                                   .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String user) {
        return "GET /v1/recommendations?user=" + user + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
