package dev.braid.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's main cases with a 3-node Redis Cluster as the shared tier (keys spread over the nodes' slots). */
@ExtendWith({RedisClusterExtension.class, OpenSearchExtension.class})
class CachingClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static TrendingSimulator trending;
    private static final List<Braid> replicas = new ArrayList<>();

    @BeforeAll
    static void start(EmbeddedRedisCluster cluster, EmbeddedOpenSearch openSearch) {
        DemoCatalogLoader.load(openSearch.uri(), "catalog-caching-cluster", DemoCatalog.generate(300, 9));
        trending = new TrendingSimulator(DemoCatalog.itemIds(300), Duration.ofMillis(40)).start(0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", "catalog-caching-cluster");
        overrides.put("catalog.timeout", "500ms");
        overrides.put("surfaces.home.budget", "2s");
        overrides.put("redis.nodes", String.join(",", cluster.nodes()));
        overrides.put("redis.timeout", "200ms");
        overrides.put("cache.lock-wait", "1500ms");
        overrides.put("server.warmup-requests", "2");
        for (int i = 0; i < 2; i++) {
            replicas.add(Main.start(TestConfigs.local(overrides)));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        trending.close();
    }

    @BeforeEach
    void countFromZero() {
        trending.reset();
    }

    @Test
    void concurrentColdRequestsOnTwoReplicasCallTheOriginOnceForEachOfManyKeys() throws Exception {
        int users = 10;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonNode>> answers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                Braid replica = replicas.get(i % 2);
                String user = "cluster-it-" + (i % users);
                answers.add(threads.submit((Callable<JsonNode>) () -> {
                    go.await();
                    return ok(replica, "/v1/recommendations?user=" + user);
                }));
            }
            go.countDown();
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get().get("items")).isNotEmpty();
            }
        }
        assertThat(trending.requests()).isEqualTo(users);
    }

    @Test
    void theOtherReplicaReadsTheSharedTierAndAnInvalidationReachesBoth() throws Exception {
        String user = "cluster-it-shared";
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("miss");
        assertThat(ok(replicas.get(1), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("hit-l2");

        HttpResponse<String> invalidated = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replicas.get(1).adminPort()
                                                  + "/admin/cache/invalidate?user=" + user))
                        .header("Authorization", "Bearer test-admin-token").POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(invalidated.statusCode()).isEqualTo(200);
        assertThat(ok(replicas.get(0), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("miss");
        assertThat(ok(replicas.get(1), "/v1/recommendations?user=" + user).get("cache").asText()).isEqualTo("hit-l2");
        assertThat(trending.requests()).isEqualTo(2);
    }

    private static JsonNode ok(Braid replica, String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.apiPort() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
