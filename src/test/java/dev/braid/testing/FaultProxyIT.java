package dev.braid.testing;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault mode of the TCP proxy, observed by a real Redis client in front of a real Redis server. */
@ExtendWith(RedisExtension.class)
class FaultProxyIT {
    private FaultProxy proxy;

    @BeforeEach
    void start(EmbeddedRedis redis) {
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void healthyForwardsBothWays() {
        try (Jedis jedis = client(Duration.ofSeconds(2))) {
            jedis.set("proxy:healthy", "yes");
            assertThat(jedis.get("proxy:healthy")).isEqualTo("yes");
        }
        assertThat(proxy.requests()).isEqualTo(1);
    }

    @Test
    void exchangesCountRoundTripsNotCommands() {
        try (Jedis jedis = client(Duration.ofSeconds(2))) {
            jedis.ping();
            long before = proxy.exchanges();
            jedis.set("proxy:exchanges", "1");
            jedis.incr("proxy:exchanges");
            assertThat(proxy.exchanges() - before).as("two commands, each waiting for its reply").isEqualTo(2);

            before = proxy.exchanges();
            var pipeline = jedis.pipelined();
            for (int i = 0; i < 20; i++) {
                pipeline.incr("proxy:exchanges");
            }
            pipeline.sync();
            assertThat(proxy.exchanges() - before).as("twenty pipelined commands").isEqualTo(1);
        }
    }

    @Test
    void slowAddsTheLatencyToEachRoundTrip() {
        try (Jedis jedis = client(Duration.ofSeconds(5))) {
            jedis.ping();
            proxy.mode(FaultMode.SLOW, Duration.ofMillis(200), Duration.ZERO);
            long started = System.nanoTime();
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
        }
    }

    @Test
    void hangStallsOpenConnectionsUntilTheClientTimesOutAndRecovers() {
        try (Jedis open = client(Duration.ofMillis(300))) {
            open.ping();
            proxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
            long started = System.nanoTime();
            assertThatThrownBy(open::ping).isInstanceOf(JedisConnectionException.class)
                    .rootCause().hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        }
        // Jedis connects and handshakes in its constructor: a new client cannot even be made.
        assertThatThrownBy(() -> client(Duration.ofMillis(300)).close()).isInstanceOf(JedisConnectionException.class)
                .rootCause().hasMessageContaining("timed out");
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        try (Jedis after = client(Duration.ofSeconds(2))) {
            assertThat(after.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void errorResetsOpenConnectionsAndEveryNewOne() {
        Jedis open = client(Duration.ofSeconds(2));
        open.ping();
        proxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(open::ping).isInstanceOf(JedisConnectionException.class);
        assertThat(open.isBroken()).isTrue();
        closeBroken(open);
        assertThatThrownBy(() -> client(Duration.ofSeconds(2)).close()).isInstanceOf(JedisConnectionException.class);
        assertThat(proxy.requests()).isEqualTo(2);
    }

    @Test
    void downRefusesConnectionsAndComesBackOnTheSamePort() {
        int port = proxy.port();
        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        assertThat(FreePort.isFree(port)).isTrue();
        assertThatThrownBy(() -> client(Duration.ofSeconds(2)).close()).isInstanceOf(JedisConnectionException.class)
                .hasStackTraceContaining("Connection refused");
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(proxy.port()).isEqualTo(port);
        try (Jedis back = client(Duration.ofSeconds(2))) {
            assertThat(back.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void httpOnlyModesAreRefusedAndResetRestoresHealth() {
        assertThatThrownBy(() -> proxy.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TCP proxy");
        assertThatThrownBy(() -> proxy.mode(FaultMode.MALFORMED, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);

        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        proxy.reset();
        assertThat(proxy.mode()).isEqualTo(FaultMode.HEALTHY);
        assertThat(proxy.requests()).isZero();
        try (Jedis jedis = client(Duration.ofSeconds(2))) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    /** Whether closing a reset connection throws depends on when the reset arrives; either way nothing is left open. */
    private static void closeBroken(Jedis jedis) {
        try {
            jedis.close();
        } catch (JedisConnectionException expectedSometimes) {
            // the goodbye could not be sent over the reset socket
        }
        assertThat(jedis.isConnected()).isFalse();
    }

    private Jedis client(Duration timeout) {
        return new Jedis(new HostAndPort("127.0.0.1", proxy.port()), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2_000)
                .socketTimeoutMillis((int) timeout.toMillis())
                .build());
    }
}
