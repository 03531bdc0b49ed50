package dev.braid.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.braid.cache.GenerationPush;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.RedisClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;

/** Generation pushes on a 3-node Redis Cluster: every node is tracked, so a user on any node is heard. */
@ExtendWith(RedisClusterExtension.class)
class GenerationTrackingClusterIT {

    @Test
    void aGenerationWrittenOnAnyNodeIsPushed(EmbeddedRedisCluster cluster) {
        RedisConfig config = ClusterConfigs.of(cluster);
        Map<String, Long> heard = new ConcurrentHashMap<>();
        AtomicInteger live = new AtomicInteger();
        try (UnifiedJedis client = RedisClients.create(config);
             GenerationTracking tracking = RedisClients.generationTracking(config, client)) {
            tracking.start(new GenerationPush.Listener() {
                @Override
                public void changed(String user) {
                    heard.put(user, System.nanoTime());
                }

                @Override
                public void lost() {
                }

                @Override
                public void live() {
                    live.incrementAndGet();
                }
            });
            await(() -> live.get() > 0);
            // Users whose generation keys hash to slots all over the cluster: every node gets some.
            Set<Integer> nodesUsed = new java.util.HashSet<>();
            for (int i = 0; i < 30; i++) {
                String user = "gtc-" + i;
                client.incr("gen:{" + user + "}");
                nodesUsed.add(JedisClusterCRC16.getSlot(user) * 3 / EmbeddedRedisCluster.SLOTS);
            }
            assertThat(nodesUsed).hasSize(3);
            await(() -> heard.size() == 30);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 10 s").isLessThan(deadline);
            LockSupport.parkNanos(50_000);
        }
    }
}
