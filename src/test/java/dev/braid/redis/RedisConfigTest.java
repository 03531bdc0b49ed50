package dev.braid.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisConfigTest {

    @Test
    void defaultsAreAStandaloneServerWithSmallBoundedTimes() {
        RedisConfig config = RedisConfig.create(Settings.of(Config.empty()));

        assertThat(config.url()).isEqualTo(URI.create("redis://redis:6379"));
        assertThat(config.cluster()).isFalse();
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.maxConnections()).isEqualTo(32);
        assertThat(config.poolWait()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.breaker()).isEqualTo(new RedisConfig.Breaker(5, Duration.ofSeconds(2)));
    }

    @Test
    void theSharedTiersBreakerIsReadAndChecked() {
        RedisConfig config = read(Map.of("redis.breaker.failures", "3", "redis.breaker.open-for", "500ms"));

        assertThat(config.breaker()).isEqualTo(new RedisConfig.Breaker(3, Duration.ofMillis(500)));
        assertThatThrownBy(() -> read(Map.of("redis.breaker.failures", "0")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.breaker.failures: must be at least 1 (was 0)");
        assertThatThrownBy(() -> read(Map.of("redis.breaker.open-for", "0s")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.breaker.open-for: must be a positive duration");
        assertThatThrownBy(() -> read(Map.of("redis.breaker.open", "1s")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.breaker.open: unknown setting");
    }

    @Test
    void nodesMeanClusterMode() {
        RedisConfig config = read(Map.of("redis.nodes", "r1:7000,r2:7001", "redis.timeout", "50ms"));

        assertThat(config.cluster()).isTrue();
        assertThat(config.nodes()).containsExactly("r1:7000", "r2:7001");
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void anHttpUrlIsRejectedWithItsKey() {
        assertThatThrownBy(() -> read(Map.of("redis.url", "http://redis:6379")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.url: must be redis://host:port");
    }

    @Test
    void aNodeWithoutPortIsRejected() {
        assertThatThrownBy(() -> read(Map.of("redis.nodes", "r1")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.nodes: each node must be host:port (was 'r1')");
    }

    @Test
    void aMisspelledKeyIsRejected() {
        assertThatThrownBy(() -> read(Map.of("redis.pool-wiat", "5ms")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.pool-wiat: unknown setting");
    }

    @Test
    void thePasswordDoesNotShowInToString() {
        RedisConfig config = new RedisConfig(URI.create("redis://braid:s3cret@redis:6379"), List.of(), Duration.ofMillis(20),
                                             4, Duration.ofMillis(10));

        assertThat(config.toString()).doesNotContain("s3cret").contains("redis:6379");
    }

    private static RedisConfig read(Map<String, String> values) {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
        return RedisConfig.create(Settings.of(config.get("redis")));
    }
}
