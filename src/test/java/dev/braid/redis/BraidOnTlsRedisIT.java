package dev.braid.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.config.InvalidConfigException;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.recommend.pipeline.PopularItems;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.TestCertificates;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Braid on a standalone Redis that speaks TLS and signs users in with ACL: a password Redis refuses at start-up stops the
 * instance with the setting named; one that stops working under a running instance costs it Redis, not its answers.
 */
@ExtendWith(OpenSearchExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BraidOnTlsRedisIT {
    private static final String PASSWORD = "braid-standalone-s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static TestCertificates certificates;
    private static EmbeddedRedis redis;
    private static TrendingSimulator trending;
    private static String index;

    @BeforeAll
    static void start(EmbeddedOpenSearch openSearch) {
        certificates = TestCertificates.shared();
        redis = EmbeddedRedis.startTls(certificates.serverCertificate(), certificates.serverKey(), certificates.caFile(),
                                       List.of());
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            admin.aclSetUser("braid", "on", ">" + PASSWORD, "~*", "&*", "+@all");
        }
        index = "catalog-tls-redis";
        DemoCatalogLoader.load(openSearch.uri(), index, DemoCatalog.generate(200, 5));
        trending = new TrendingSimulator(DemoCatalog.itemIds(200), Duration.ZERO).start(0);
    }

    @AfterAll
    static void stop() {
        if (trending != null) {
            trending.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aPasswordRedisRefusesStopsStartUpNamingTheSettingAndNotTheSecret(EmbeddedOpenSearch openSearch) {
        Map<String, String> settings = settings(openSearch);
        settings.put("redis.password", "an-old-password");

        assertThatThrownBy(() -> Main.start(TestConfigs.local(settings)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.password: Redis refused the password of user 'braid'")
                .hasMessageNotContaining("an-old-password");
    }

    @Test
    void anUntrustedCertificateStopsStartUpNamingTheCaFile(EmbeddedOpenSearch openSearch) {
        Map<String, String> settings = settings(openSearch);
        settings.put("redis.tls.ca-file", certificates.otherCaFile().toString());

        assertThatThrownBy(() -> Main.start(TestConfigs.local(settings)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.tls.ca-file: Braid does not accept the Redis server's certificate");
    }

    @Test
    void aPasswordChangedUnderARunningInstanceCostsItRedisNotItsAnswers(EmbeddedOpenSearch openSearch)
            throws Exception {
        Braid braid = Main.start(TestConfigs.local(settings(openSearch)));
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            JsonNode first = ok(braid, "/v1/recommendations?user=tls-before");
            assertThat(first.get("items")).isNotEmpty();
            assertThat(admin.keys("*")).as("the answer was shared through Redis").isNotEmpty();

            // Rotated on the server, not yet in Braid's Secret: every new connection is refused, the open ones are cut.
            admin.aclSetUser("braid", "resetpass", ">a-rotated-password");
            admin.clientKill(ClientKillParams.clientKillParams().user("braid"));
            Set<String> keys = admin.keys("*");

            for (int i = 0; i < 20; i++) {
                JsonNode answer = ok(braid, "/v1/recommendations?user=tls-after-" + i);
                assertThat(answer.get("items")).isNotEmpty();
            }
            // No key the answers would have written (keys written before may expire meanwhile: leases, locks).
            assertThat(admin.keys("*")).as("nothing written: Redis refused every new connection").isSubsetOf(keys);
            JsonNode search = ok(braid, "/v1/search?q=shoes&user=tls-after-0");
            assertThat(search.has("items")).isTrue();
            HttpResponse<String> ready = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort() + "/observe/health/ready"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        } finally {
            braid.stop();
            try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
                admin.aclSetUser("braid", "resetpass", ">" + PASSWORD);
            }
        }
    }

    @Test
    void theSingletonJobsOwnClientSignsInWithTlsAndTheAclUserToo(EmbeddedOpenSearch openSearch) throws Exception {
        // Singleton jobs make a Redis client of their own (RedisConfig.forBackground): Braid knows only the TLS port and
        // the ACL user, so a result in Redis is proof that the jobs' client carries both.
        String job = PopularItems.job(index);
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            admin.del(RedisLeases.resultKey(job), RedisLeases.leaseKey(job));
            Braid braid = Main.start(TestConfigs.local(settings(openSearch)));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!admin.exists(RedisLeases.resultKey(job)) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(admin.exists(RedisLeases.resultKey(job))).as("the popular-items job published its list")
                        .isTrue();
                assertThat(admin.hget(RedisLeases.resultKey(job), "value")).isNotBlank();
            } finally {
                braid.stop();
            }
        }
    }

    private static Map<String, String> settings(EmbeddedOpenSearch openSearch) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sources.trending.url", trending.endpoint());
        settings.put("opensearch.url", openSearch.uri().toString());
        settings.put("catalog.index", index);
        settings.put("catalog.timeout", "500ms");
        settings.put("surfaces.home.budget", "2s");
        settings.put("redis.url", "redis://127.0.0.1:" + redis.tlsPort());
        settings.put("redis.username", "braid");
        settings.put("redis.password", PASSWORD);
        settings.put("redis.tls.enabled", "true");
        settings.put("redis.tls.ca-file", certificates.caFile().toString());
        settings.put("redis.connect-timeout", "2s");
        settings.put("redis.timeout", "500ms");
        return settings;
    }

    private static JsonNode ok(Braid braid, String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
