package dev.braid.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.config.Settings;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;

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
        assertThat(pool.getMinIdle()).isZero();
    }

    @Test
    void minIdleKeepsConnectionsOpenForAQuietReplica() {
        ConnectionPoolConfig pool = RedisClients.pool(RedisConfig.create(Settings.of(Config.empty())));

        assertThat(pool.getMinIdle()).isEqualTo(4);
        // The idle check is what refills the pool to min-idle: it must run.
        assertThat(pool.getDurationBetweenEvictionRuns()).isPositive();
    }

    @Test
    void aNewConnectionGetsTheConnectTimeoutAndEachCommandTheSocketTimeout() {
        RedisConfig config = new RedisConfig(URI.create("redis://redis:6379"), List.of(),
                                             new RedisConfig.Credentials("braid", "pw"), RedisConfig.Tls.OFF,
                                             Duration.ofMillis(150), Duration.ofMillis(20), 4, 1, Duration.ofMillis(10),
                                             RedisConfig.Breaker.DEFAULT);

        DefaultJedisClientConfig client = RedisClients.clientConfig(config, 150, 20, "braid").build();

        assertThat(client.getConnectionTimeoutMillis()).isEqualTo(150);
        assertThat(client.getSocketTimeoutMillis()).isEqualTo(20);
        assertThat(client.getUser()).isEqualTo("braid");
        assertThat(client.getPassword()).isEqualTo("pw");
        assertThat(client.isSsl()).isFalse();
    }

    @Test
    void tlsHandshakesUnderTheConnectTimeoutAndVerifiesHostNamesUnlessTurnedOff() {
        RedisConfig verifying = RedisConfig.create(Settings.of(config(Map.of("redis.nodes", "r1:6379",
                                                                             "redis.tls.enabled", "true"))
                                                                       .get("redis")));
        RedisConfig lenient = RedisConfig.create(Settings.of(config(Map.of("redis.nodes", "r1:6379",
                                                                           "redis.tls.enabled", "true",
                                                                           "redis.tls.verify-hostname", "false"))
                                                                     .get("redis")));

        DefaultJedisClientConfig strict = RedisClients.clientConfig(verifying, 100, 20, "braid").build();
        DefaultJedisClientConfig loose = RedisClients.clientConfig(lenient, 100, 20, "braid").build();

        assertThat(strict.isSsl()).isTrue();
        assertThat(strict.getSslSocketFactory()).isInstanceOf(HandshakeFirst.class);
        assertThat(strict.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(loose.getSslParameters().getEndpointIdentificationAlgorithm()).isNull();
    }

    private static Config config(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
    }
}
