package dev.braid.redis;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client {@link RedisClients} builds, against a real Redis behind a proxy that drops every connection on purpose. */
@ExtendWith(RedisExtension.class)
class RedisClientsIT {
    private static final int CONNECTIONS = 8;

    private FaultProxy proxy;
    private UnifiedJedis client;

    @BeforeEach
    void start(EmbeddedRedis redis) {
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        // The pool's idle check runs every second; each test is over before it could have dropped anything.
        client = RedisClients.create(new RedisConfig(URI.create("redis://127.0.0.1:" + proxy.port()), List.of(),
                                                     Duration.ofMillis(250), CONNECTIONS, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    @Test
    void aReadAfterEveryConnectionDiedIsAnsweredOnANewConnection() throws Exception {
        client.set("braid-test:kept", "v");
        fillThePool();
        long opened = proxy.requests();

        // Redis restarts (or the network blips): every pooled connection is dead, and the pool does not know yet.
        blip();

        assertThat(client.get("braid-test:kept")).isEqualTo("v");
        assertThat(proxy.requests()).isEqualTo(opened + 1);
    }

    @Test
    void aWriteAfterEveryConnectionDiedFailsOnceNotOncePerPooledConnection() throws Exception {
        fillThePool();
        assertThat(proxy.requests()).isEqualTo(CONNECTIONS);
        blip();

        // Not repeated: it may have been applied before its connection died.
        assertThatThrownBy(() -> client.set("braid-test:dead", "v")).isInstanceOf(JedisConnectionException.class);
        for (int i = 0; i < CONNECTIONS * 2; i++) {
            assertThat(client.set("braid-test:after-" + i, "v")).isEqualTo("OK");
        }
    }

    @Test
    void aTimeoutLeavesTheOtherConnectionsInThePool() throws Exception {
        fillThePool();
        long opened = proxy.requests();
        proxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        // Not repeated either: a slow Redis would only get more to do.
        assertThatThrownBy(() -> client.get("braid-test:slow")).isInstanceOf(JedisConnectionException.class);
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);

        for (int i = 0; i < CONNECTIONS; i++) {
            assertThat(client.get("braid-test:after-slow")).isNull();
        }
        // Slow is not dead: the idle connections served these, none had to be opened (dropping them would open one).
        assertThat(proxy.requests()).isEqualTo(opened);
    }

    private void blip() {
        proxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
    }

    /** Opens every pooled connection by holding them all at once. */
    private void fillThePool() throws Exception {
        CountDownLatch all = new CountDownLatch(CONNECTIONS);
        List<Future<Object>> blocked = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                blocked.add(threads.submit(() -> {
                    all.countDown();
                    all.await();
                    // BLPOP holds the connection until it times out: every connection is in use at once.
                    return client.blpop(0.3, "braid-test:never-" + System.nanoTime());
                }));
            }
            for (Future<Object> f : blocked) {
                f.get();
            }
        }
    }
}
