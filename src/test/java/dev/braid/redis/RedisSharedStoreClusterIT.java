package dev.braid.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.RedisClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared tier on a 3-node Redis Cluster, through the client {@link RedisClients} builds when {@code nodes} is set:
 * the cases every deployment passes, with keys spread over every node's slots.
 */
@ExtendWith(RedisClusterExtension.class)
class RedisSharedStoreClusterIT extends RedisSharedStoreCases {
    private static EmbeddedRedisCluster cluster;
    private static UnifiedJedis client;

    @BeforeAll
    static void connect(EmbeddedRedisCluster started) {
        cluster = started;
        client = RedisClients.create(new RedisConfig(URI.create("redis://unused:6379"), cluster.nodes(),
                                                     Duration.ofMillis(500), 4, Duration.ofMillis(200), BREAKER));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Override
    RedisSharedStore newStore(RedisConfig.Breaker breaker) {
        return new RedisSharedStore(client, new RedisConfig(URI.create("redis://unused:6379"), cluster.nodes(),
                                                            Duration.ofMillis(500), 4, Duration.ofMillis(200), breaker),
                                    METERS);
    }

    @Override
    UnifiedJedis direct() {
        return client;
    }

    @Override
    long calls(String command) {
        long calls = 0;
        for (EmbeddedRedis server : cluster.servers()) {
            try (Jedis node = new Jedis("127.0.0.1", server.port())) {
                calls += calls(node.info("commandstats"), command);
            }
        }
        return calls;
    }

    @Test
    void getAllReadsKeysOfEveryNodeWithoutMget() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(key("spread-" + i));
            store.put(keys.get(i), value("v" + i), Duration.ofMinutes(1));
        }
        Set<Integer> nodes = keys.stream().map(key -> JedisClusterCRC16.getSlot(key) * 3 / EmbeddedRedisCluster.SLOTS)
                .collect(Collectors.toSet());
        assertThat(nodes).as("the keys' nodes").containsExactlyInAnyOrder(0, 1, 2);
        long mgets = calls("mget");
        long gets = calls("get");

        assertThat(store.getAll(keys)).hasSize(100);

        // MGET across slots would be refused (CROSSSLOT): one pipeline of GETs instead, grouped by node.
        assertThat(calls("mget")).isEqualTo(mgets);
        assertThat(calls("get")).isEqualTo(gets + 100);
    }
}
