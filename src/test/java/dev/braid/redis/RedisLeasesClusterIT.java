package dev.braid.redis;


import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.RedisClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/** Leases and fenced writes on a 3-node Redis Cluster: each script's keys share the job's (or trending's) slot. */
@ExtendWith(RedisClusterExtension.class)
class RedisLeasesClusterIT extends RedisLeasesCases {
    private static UnifiedJedis client;

    @BeforeAll
    static void connect(EmbeddedRedisCluster cluster) {
        client = RedisClients.create(ClusterConfigs.of(cluster));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Override
    UnifiedJedis direct() {
        return client;
    }

    @Override
    boolean cluster() {
        return true;
    }
}
