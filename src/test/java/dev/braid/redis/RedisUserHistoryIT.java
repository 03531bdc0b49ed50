package dev.braid.redis;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The history reader against a real Redis, with faults injected by a TCP proxy in front of it. */
@ExtendWith(RedisExtension.class)
class RedisUserHistoryIT {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Generous: the bound asserted is "the timeout, not forever", not a benchmark. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static FaultProxy proxy;
    private static UnifiedJedis direct;
    private static UnifiedJedis client;
    private static RedisUserHistory history;

    @BeforeAll
    static void start(EmbeddedRedis redis) {
        direct = RedisClient.create(URI.create(redis.uri()));
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        client = RedisClients.create(new RedisConfig(URI.create("redis://127.0.0.1:" + proxy.port()), List.of(), TIMEOUT, 4,
                                                     Duration.ofMillis(50)));
        history = new RedisUserHistory(client);
    }

    @AfterAll
    static void stop() {
        client.close();
        direct.close();
        proxy.close();
    }

    @AfterEach
    void heal() {
        proxy.reset();
    }

    @Test
    void readsNewestFirstAndCollapsesDuplicates() {
        store("rh-1", "i9", "i3", "i9", "i7", "i3", "i1");

        assertThat(history.recentItems("rh-1", 10)).containsExactly("i9", "i3", "i7", "i1");
        assertThat(history.recentItems("rh-1", 2)).containsExactly("i9", "i3");
    }

    @Test
    void anUnknownUserOrAnonymousVisitorHasNoHistory() {
        assertThat(history.recentItems("rh-nobody", 10)).isEmpty();
        assertThat(history.recentItems(null, 10)).isEmpty();
    }

    @Test
    void entriesThatAreNotEventsAreSkipped() {
        direct.del(RedisUserHistory.key("rh-2"));
        direct.rpush(RedisUserHistory.key("rh-2"), "not json", "{\"type\":\"click\"}", event("i4"));

        assertThat(history.recentItems("rh-2", 10)).containsExactly("i4");
    }

    @Test
    void aKeyOfAnotherTypeIsAnEmptyHistory() {
        direct.set(RedisUserHistory.key("rh-3"), "oops");

        assertThat(history.recentItems("rh-3", 10)).isEmpty();
    }

    @Test
    void aDownRedisIsAnEmptyHistoryAndItsReturnIsNoticed() {
        store("rh-4", "i5");
        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        assertThat(timed(() -> history.recentItems("rh-4", 10))).isEmpty();

        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(history.recentItems("rh-4", 10)).containsExactly("i5");
    }

    @Test
    void aHungRedisIsAnEmptyHistoryAfterTheTimeout() {
        store("rh-5", "i6");
        assertThat(history.recentItems("rh-5", 10)).containsExactly("i6");
        proxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);

        assertThat(timed(() -> history.recentItems("rh-5", 10))).isEmpty();
        assertThat(timed(() -> history.recentItems("rh-5", 10))).isEmpty();
    }

    @Test
    void resetConnectionsAreAnEmptyHistory() {
        store("rh-6", "i8");
        assertThat(history.recentItems("rh-6", 10)).containsExactly("i8");
        proxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);

        assertThat(timed(() -> history.recentItems("rh-6", 10))).isEmpty();
    }

    private static List<String> timed(java.util.function.Supplier<List<String>> call) {
        long started = System.nanoTime();
        List<String> result = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plus(SLACK));
        return result;
    }

    /** Stores the user's events, newest first, as the event ingestion and bin/dev do. */
    private static void store(String user, String... newestFirst) {
        direct.del(RedisUserHistory.key(user));
        for (String item : newestFirst) {
            direct.rpush(RedisUserHistory.key(user), event(item));
        }
    }

    private static String event(String item) {
        return "{\"item_id\":\"" + item + "\",\"type\":\"click\",\"value\":1,\"ts\":\"2026-11-01T00:00:00Z\"}";
    }
}
