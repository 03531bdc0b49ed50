package dev.braid.redis;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.braid.cache.GenerationPush;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generation changes pushed by a real Redis (CLIENT TRACKING, BCAST on {@code gen:}) to every replica listening, through
 * a proxy that drops the connections on purpose.
 */
@ExtendWith(RedisExtension.class)
class GenerationTrackingIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FaultProxy proxy;
    private UnifiedJedis direct;
    private UnifiedJedis client;
    private final List<GenerationTracking> trackings = new ArrayList<>();

    @BeforeEach
    void start(EmbeddedRedis redis) {
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        direct = RedisClient.create(URI.create(redis.uri()));
        client = RedisClients.create(config());
    }

    @AfterEach
    void stop() {
        trackings.forEach(GenerationTracking::close);
        client.close();
        direct.close();
        proxy.close();
    }

    @Test
    void everyWriteOfAGenerationReachesEveryReplicaAndNothingElseDoes() {
        Heard first = listen();
        Heard second = listen();
        awaitLive(first, second);

        // As the events sink and the admin invalidation write them: INCR, then EXPIRE in the same round trip.
        direct.incr("gen:{gt-user-1}");
        direct.set("cache:{recommendations:x}", "not a generation");
        direct.incr("gen:{gt-user-2}");

        await(() -> first.changed.containsKey("gt-user-2") && second.changed.containsKey("gt-user-2"));
        assertThat(first.changed.keySet()).containsExactlyInAnyOrder("gt-user-1", "gt-user-2");
        assertThat(second.changed.keySet()).containsExactlyInAnyOrder("gt-user-1", "gt-user-2");
    }

    @Test
    void aPushArrivesWithinMillisecondsOfTheWrite() {
        Heard heard = listen();
        awaitLive(heard);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String user = "gt-delay-" + i;
            long written = System.nanoTime();
            direct.incr("gen:{" + user + "}");
            await(() -> heard.changed.containsKey(user));
            delays.add(heard.changed.get(user) - written);
        }
        Collections.sort(delays);
        // A figure, not a goal (no test times anything): printed for the record, asserted only to have arrived.
        System.out.printf("generation push delay over %d writes: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", delays.size(),
                          delays.get(delays.size() / 2) / 1e6, delays.get(delays.size() * 99 / 100) / 1e6,
                          delays.getLast() / 1e6);
        assertThat(delays).hasSize(500);
    }

    @Test
    void aFlushOrADroppedConnectionIsALossThenPushesResume() {
        Heard heard = listen();
        awaitLive(heard);

        direct.flushAll();
        await(() -> heard.lost.get() >= 1 && heard.live.get() >= 2);

        proxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        await(() -> heard.lost.get() >= 2);
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        int lives = heard.live.get();
        await(() -> heard.live.get() > lives);

        direct.incr("gen:{gt-after-loss}");
        await(() -> heard.changed.containsKey("gt-after-loss"));
    }

    /** What one replica heard: when each user's change arrived, and how often pushes were lost and came back. */
    private static final class Heard implements GenerationPush.Listener {
        final Map<String, Long> changed = new ConcurrentHashMap<>();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger live = new AtomicInteger();

        @Override
        public void changed(String user) {
            changed.putIfAbsent(user, System.nanoTime());
        }

        @Override
        public void lost() {
            lost.incrementAndGet();
        }

        @Override
        public void live() {
            live.incrementAndGet();
        }
    }

    private Heard listen() {
        Heard heard = new Heard();
        GenerationTracking tracking = RedisClients.generationTracking(config(), client);
        trackings.add(tracking);
        tracking.start(heard);
        return heard;
    }

    private RedisConfig config() {
        return new RedisConfig(URI.create("redis://127.0.0.1:" + proxy.port()), List.of(), Duration.ofMillis(500), 4,
                               Duration.ofMillis(200));
    }

    private static void awaitLive(Heard... listeners) {
        await(() -> Set.of(listeners).stream().allMatch(heard -> heard.live.get() > 0));
    }

    /** A bounded poll: what a push brings is asserted once it has arrived, never after a fixed sleep. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within " + WAIT).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
    }
}
