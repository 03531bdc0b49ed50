package dev.braid.redis;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.braid.experiments.Exposure;
import dev.braid.experiments.ExposureConfig;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.RedisClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;

/** The exposure sink on a 3-node Redis Cluster: one batch touches the stream's node and each surface's. */
@ExtendWith(RedisClusterExtension.class)
class RedisExposureSinkClusterIT {
    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");
    private static UnifiedJedis client;

    @BeforeAll
    static void connect(EmbeddedRedisCluster cluster) {
        client = RedisClients.create(ClusterConfigs.of(cluster));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aBatchOverSurfacesInEverySlotRangeIsWrittenInOneGo() {
        String stream = "it-exposures-" + System.nanoTime();
        RedisExposureSink sink = new RedisExposureSink(client, new ExposureConfig(stream, 1_000, 100, 50));
        List<String> surfaces = new ArrayList<>();
        Set<Integer> thirds = new HashSet<>();
        // Surfaces whose coverage keys fall in each third of the slots: with 3 nodes, on every node.
        for (int i = 0; thirds.size() < 3 || surfaces.size() < 6; i++) {
            String surface = "s" + i + "-" + System.nanoTime();
            int third = JedisClusterCRC16.getSlot(RedisExposureSink.coverageKey(surface, LocalDate.parse("2026-11-24")))
                        * 3 / EmbeddedRedisCluster.SLOTS;
            if (thirds.add(third) || surfaces.size() < 6) {
                surfaces.add(surface);
            }
        }
        List<Exposure> batch = new ArrayList<>();
        for (int i = 0; i < surfaces.size(); i++) {
            batch.add(RedisExposureSinkIT.exposure("r" + i, surfaces.get(i), AT, "a" + i, "b" + i, "shared"));
        }

        sink.write(batch);

        assertThat(client.xlen(stream)).isEqualTo(surfaces.size());
        for (String surface : surfaces) {
            assertThat(sink.coverage(surface, LocalDate.parse("2026-11-24"))).isEqualTo(3);
        }
    }
}
