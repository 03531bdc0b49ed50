package dev.braid.redis;

import java.net.URI;

import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Leases and fenced writes on a standalone Redis. */
@ExtendWith(RedisExtension.class)
class RedisLeasesIT extends RedisLeasesCases {
    private static UnifiedJedis client;

    @BeforeAll
    static void connect(EmbeddedRedis redis) {
        client = RedisClient.create(URI.create(redis.uri()));
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
        return false;
    }
}
