package dev.braid.redis;

import java.net.URI;
import java.time.Duration;

import dev.braid.testing.EmbeddedRedisCluster;

/** The Redis settings the cluster ITs talk to the test JVM's cluster with: its nodes, a generous command timeout. */
final class ClusterConfigs {
    private ClusterConfigs() {
    }

    static RedisConfig of(EmbeddedRedisCluster cluster) {
        return new RedisConfig(URI.create("redis://unused:6379"), cluster.nodes(), Duration.ofMillis(500), 4,
                               Duration.ofMillis(200));
    }
}
