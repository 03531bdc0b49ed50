package dev.braid.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.ConnectionPoolConfig;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClientsTest {

    @Test
    void thePoolIsSizedFromConfigAndWaitsOnlyBrieflyForAConnection() {
        ConnectionPoolConfig pool = RedisClients.pool(new RedisConfig(URI.create("redis://redis:6379"), List.of(),
                                                                      Duration.ofMillis(20), 7, Duration.ofMillis(15)));

        assertThat(pool.getMaxTotal()).isEqualTo(7);
        // Jedis's default is to block forever (-1): an exhausted pool must be a fast miss, not a hung request.
        assertThat(pool.getBlockWhenExhausted()).isTrue();
        assertThat(pool.getMaxWaitDuration()).isEqualTo(Duration.ofMillis(15));
    }
}
