package dev.braid.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.TestCertificates;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redis Cluster over TLS with an ACL user, as a managed cluster with in-transit encryption is: the client learns the
 * nodes' TLS ports from the cluster itself, signs in on every node, and two Braid replicas share their cache through it.
 */
@ExtendWith(OpenSearchExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisTlsClusterIT {
    private static final String PASSWORD = "braid-cluster-s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static TestCertificates certificates;
    private static EmbeddedRedisCluster cluster;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.shared();
        cluster = EmbeddedRedisCluster.startTls(3, certificates);
        for (EmbeddedRedis node : cluster.servers()) {
            try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                admin.aclSetUser("braid", "on", ">" + PASSWORD, "~*", "&*", "+@all");
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void keysOnEveryNodeAreWrittenAndReadOverTlsAsTheAclUser() {
        try (UnifiedJedis client = RedisClients.connect(config(PASSWORD, certificates.caFile()))) {
            List<String> keys = keysOnEveryNode();
            keys.forEach(key -> client.set(key, "v-" + key));

            keys.forEach(key -> assertThat(client.get(key)).isEqualTo("v-" + key));
            for (EmbeddedRedis node : cluster.servers()) {
                try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                    List<String> braid = admin.clientList().lines().filter(line -> line.contains(" name=braid "))
                            .toList();
                    assertThat(braid).as("node " + node.port()).isNotEmpty()
                            .allMatch(line -> line.contains(" user=braid "))
                            // The cluster announced its TLS ports: nothing reached the plain ones.
                            .allMatch(line -> line.contains(" laddr=127.0.0.1:" + node.tlsPort() + " "));
                }
            }
        }
    }

    @Test
    void aWrongPasswordIsARefusalEvenThoughEverySeedFailedSeparately() {
        assertThatThrownBy(() -> RedisClients.connect(config("wrong", certificates.caFile())))
                .isInstanceOfSatisfying(RedisRefusedException.class, refused -> {
                    assertThat(refused.key()).isEqualTo("redis.password");
                    assertThat(refused.getMessage()).contains("WRONGPASS").doesNotContain("wrong ");
                });
    }

    @Test
    void anUntrustedCertificateIsARefusalNamingTheCaFile() {
        assertThatThrownBy(() -> RedisClients.connect(config(PASSWORD, certificates.otherCaFile())))
                .isInstanceOfSatisfying(RedisRefusedException.class,
                                        refused -> assertThat(refused.key()).isEqualTo("redis.tls.ca-file"));
    }

    @Test
    void twoReplicasShareTheirCacheThroughTheTlsClusterAndAnInvalidationReachesBoth(EmbeddedOpenSearch openSearch)
            throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), "catalog-tls-cluster", DemoCatalog.generate(200, 5));
        List<Braid> replicas = new ArrayList<>();
        try (TrendingSimulator trending = new TrendingSimulator(DemoCatalog.itemIds(200), Duration.ZERO).start(0)) {
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("sources.trending.url", trending.endpoint());
            overrides.put("opensearch.url", openSearch.uri().toString());
            overrides.put("catalog.index", "catalog-tls-cluster");
            overrides.put("catalog.timeout", "500ms");
            overrides.put("surfaces.home.budget", "2s");
            overrides.put("redis.nodes", String.join(",", cluster.tlsNodes()));
            overrides.put("redis.username", "braid");
            overrides.put("redis.password", PASSWORD);
            overrides.put("redis.tls.enabled", "true");
            overrides.put("redis.tls.ca-file", certificates.caFile().toString());
            overrides.put("redis.connect-timeout", "2s");
            overrides.put("redis.timeout", "500ms");
            for (int i = 0; i < 2; i++) {
                replicas.add(Main.start(TestConfigs.local(overrides)));
            }
            String user = "tls-cluster-user";

            assertThat(ok(replicas.get(0), user).get("cache").asText()).isEqualTo("miss");
            assertThat(ok(replicas.get(1), user).get("cache").asText()).isEqualTo("hit-l2");
            HttpResponse<String> invalidated = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replicas.get(1).adminPort()
                                                      + "/admin/cache/invalidate?user=" + user))
                            .header("Authorization", "Bearer test-admin-token")
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(invalidated.statusCode()).isEqualTo(200);
            assertThat(ok(replicas.get(0), user).get("cache").asText()).isEqualTo("miss");
            assertThat(trending.requests()).isEqualTo(2);
        } finally {
            replicas.forEach(Braid::stop);
        }
    }

    private static JsonNode ok(Braid replica, String user) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.apiPort() + "/v1/recommendations?user="
                                                  + user)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A key in each node's slot range. */
    private static List<String> keysOnEveryNode() {
        List<String> keys = new ArrayList<>();
        int size = cluster.servers().size();
        for (int node = 0; node < size; node++) {
            for (int i = 0; ; i++) {
                String key = "braid-tls-cluster:" + i;
                int slot = JedisClusterCRC16.getSlot(key);
                if (slot >= EmbeddedRedisCluster.SLOTS * node / size && slot < EmbeddedRedisCluster.SLOTS * (node + 1) / size) {
                    keys.add(key);
                    break;
                }
            }
        }
        return keys;
    }

    private static RedisConfig config(String password, java.nio.file.Path caFile) {
        return new RedisConfig(URI.create("redis://unused:6379"), cluster.tlsNodes(),
                               new RedisConfig.Credentials("braid", password),
                               new RedisConfig.Tls(true, caFile, true), Duration.ofSeconds(2), Duration.ofSeconds(1),
                               4, 0, Duration.ofSeconds(1), RedisConfig.Breaker.DEFAULT);
    }
}
