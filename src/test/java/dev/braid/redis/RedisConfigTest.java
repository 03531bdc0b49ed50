package dev.braid.redis;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;
import dev.braid.testing.TestCertificates;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.minIdle()).isEqualTo(4);
        assertThat(config.credentials()).isEqualTo(RedisConfig.Credentials.NONE);
        assertThat(config.tls()).isEqualTo(RedisConfig.Tls.OFF);
    }

    @Test
    void aclCredentialsAndTlsAreReadForClusterModeToo(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.copy(TestCertificates.shared().caFile(), ca);

        RedisConfig config = read(Map.of("redis.nodes", "r1:6379,r2:6379", "redis.username", "braid",
                                         "redis.password", "s3cret", "redis.tls.enabled", "true",
                                         "redis.tls.ca-file", ca.toString(), "redis.connect-timeout", "250ms",
                                         "redis.min-idle", "2"));

        assertThat(config.credentials()).isEqualTo(new RedisConfig.Credentials("braid", "s3cret"));
        assertThat(config.tls()).isEqualTo(new RedisConfig.Tls(true, ca, true));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.minIdle()).isEqualTo(2);
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void aRedissUrlTurnsTlsOnAndItsCredentialsAreTheSignIn() {
        RedisConfig config = read(Map.of("redis.url", "rediss://braid:s3cret@redis:6380"));

        assertThat(config.tls().enabled()).isTrue();
        assertThat(config.credentials()).isEqualTo(new RedisConfig.Credentials("braid", "s3cret"));
    }

    @Test
    void credentialsInTheUrlAndInTheirOwnKeysAreRefused() {
        assertThatThrownBy(() -> read(Map.of("redis.url", "redis://braid:first-s3cret@redis:6379",
                                             "redis.password", "second-s3cret")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.password: the credentials are set twice")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aUserWithoutAPasswordIsRefused() {
        assertThatThrownBy(() -> read(Map.of("redis.username", "braid")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.password: must be set when username is (user 'braid')");
    }

    @Test
    void minIdleCannotExceedThePool() {
        assertThatThrownBy(() -> read(Map.of("redis.max-connections", "4", "redis.min-idle", "5")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.min-idle: must be 0..4 (max-connections) (was 5)");
        assertThat(read(Map.of("redis.max-connections", "2")).minIdle()).isEqualTo(2);
    }

    @Test
    void aCaFileThatIsMissingOrNotPemStopsStartUpWithItsKey(@TempDir Path dir) throws Exception {
        Path garbled = Files.writeString(dir.resolve("garbled.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
                                                                      + "-----END CERTIFICATE-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");

        assertThatThrownBy(() -> read(Map.of("redis.tls.ca-file", dir.resolve("missing.pem").toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.tls.ca-file: cannot be read: NoSuchFileException");
        assertThatThrownBy(() -> read(Map.of("redis.tls.ca-file", garbled.toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.tls.ca-file: holds a block that is not an X.509 certificate");
        assertThatThrownBy(() -> read(Map.of("redis.tls.ca-file", empty.toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.tls.ca-file: holds no PEM certificate");
        assertThatThrownBy(() -> read(Map.of("redis.tls.verify", "false")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis.tls.verify: unknown setting");
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
