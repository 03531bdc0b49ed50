package dev.braid.redis;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.braid.cache.LockAttempt;
import dev.braid.observe.BraidMeters;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared tier on a standalone Redis, reached through a {@link FaultProxy} that breaks it on purpose, plus the cases
 * every deployment passes ({@link RedisSharedStoreCases}).
 */
@ExtendWith(RedisExtension.class)
class RedisSharedStoreIT extends RedisSharedStoreCases {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** A failed call costs the timeout, not more: asserted with room for a busy machine, still well under a second. */
    private static final Duration BOUND = TIMEOUT.plusMillis(400);
    private static final List<String> OPERATIONS = BraidMeters.STORE_OPERATIONS;

    private static EmbeddedRedis redis;
    private static FaultProxy proxy;
    private static UnifiedJedis direct;
    private static UnifiedJedis client;
    /** The stores' clock: real time plus what a test adds to let an open breaker's period pass without sleeping. */
    private static final AtomicLong skipped = new AtomicLong();
    private static final LongSupplier CLOCK = () -> System.nanoTime() + skipped.get();

    @BeforeAll
    static void start(EmbeddedRedis server) {
        redis = server;
        direct = RedisClient.create(URI.create(server.uri()));
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", server.port()), 0);
        client = RedisClients.create(config(proxy.port(), 4, Duration.ofMillis(50)));
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

    @Override
    RedisSharedStore newStore(RedisConfig.Breaker breaker) {
        return store(client, breaker);
    }

    @Override
    UnifiedJedis direct() {
        return direct;
    }

    @Override
    long calls(String command) {
        return calls(direct.info("commandstats"), command);
    }

    @Test
    void getAllOfAHundredKeysIsOneMget() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(key("batch-" + i));
            store.put(keys.get(i), value("v" + i), Duration.ofMinutes(1));
        }
        long mgets = calls("mget");
        long gets = calls("get");

        Map<String, byte[]> found = store.getAll(keys);

        assertThat(found).hasSize(100);
        // One command for a hundred keys: one round trip. (INFO goes over another connection and is its own command.)
        assertThat(calls("mget")).isEqualTo(mgets + 1);
        assertThat(calls("get")).isEqualTo(gets);
    }

    @ParameterizedTest
    @EnumSource(value = FaultMode.class, names = {"DOWN", "HANG", "ERROR"})
    void everyMethodAnswersLikeAnEmptyStoreWithinTheTimeout(FaultMode mode) {
        // A breaker that never opens: every call really goes to the broken connection.
        RedisSharedStore patient = store(client, new RedisConfig.Breaker(1_000, Duration.ofSeconds(2)));
        String key = key("fault-" + mode);
        patient.put(key, value("cached"), Duration.ofMinutes(1));
        assertThat(patient.get(key)).isPresent();
        long errors = errors();

        proxy.mode(mode, Duration.ZERO, Duration.ZERO);

        assertThat(timed(() -> patient.get(key))).isEmpty();
        assertThat(timed(() -> patient.getAll(List.of(key, key("other"))))).isEmpty();
        timed(() -> {
            patient.put(key, value("dropped"), Duration.ofMinutes(1));
            return null;
        });
        timed(() -> {
            patient.putAll(Map.of(key, value("dropped too")), Map.of(key, Duration.ofMinutes(1)));
            return null;
        });
        assertThat(timed(() -> patient.tryLock(key("fault-lock"), Duration.ofSeconds(1))))
                .isEqualTo(new LockAttempt.Unavailable());
        timed(() -> {
            patient.unlock(key("fault-lock"), "token");
            return null;
        });
        assertThat(timed(() -> patient.generation("fault-user"))).as("unknown, not 0").isEmpty();
        timed(() -> {
            assertThat(patient.bumpGeneration("fault-user")).as("not applied").isFalse();
            return null;
        });
        assertThat(errors()).isEqualTo(errors + OPERATIONS.size());
        assertThat(patient.breakerState()).isEqualTo("closed");

        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(text(patient.get(key))).as("the write during the fault was dropped").hasValue("cached");
    }

    @ParameterizedTest
    @EnumSource(value = FaultMode.class, names = {"DOWN", "HANG", "ERROR"})
    void theBreakerOpensSoADeadRedisCostsNoNetworkAndItClosesOnceRedisIsBack(FaultMode mode) {
        String key = key("breaker-" + mode);
        store.put(key, value("cached"), Duration.ofMinutes(1));
        proxy.mode(mode, Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < BREAKER.failures(); i++) {
            assertThat(timed(() -> store.get(key))).isEmpty();
        }
        assertThat(store.breakerState()).isEqualTo("open");

        long connections = proxy.requests();
        long shortCircuits = shortCircuits();
        long started = System.nanoTime();
        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            assertThat(store.get(key)).isEmpty();
            assertThat(store.getAll(List.of(key))).isEmpty();
            store.put(key, value("dropped"), Duration.ofMinutes(1));
            store.putAll(Map.of(key, value("dropped")), Map.of(key, Duration.ofMinutes(1)));
            assertThat(store.tryLock(key("breaker-lock"), Duration.ofSeconds(1))).isEqualTo(new LockAttempt.Unavailable());
            store.unlock(key("breaker-lock"), "token");
            assertThat(store.generation("breaker-user")).isEmpty();
            assertThat(store.bumpGeneration("breaker-user")).isFalse();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("%d short-circuited calls", rounds * OPERATIONS.size()).isLessThan(BOUND);
        assertThat(proxy.requests()).as("connections attempted while open").isEqualTo(connections);
        assertThat(shortCircuits()).isEqualTo(shortCircuits + (long) rounds * OPERATIONS.size());

        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(store.get(key)).as("still open: its period has not passed").isEmpty();
        skipped.addAndGet(BREAKER.openFor().toNanos());
        assertThat(text(store.get(key))).as("the probe finds Redis back").hasValue("cached");
        assertThat(store.breakerState()).isEqualTo("closed");
        store.put(key, value("fresh"), Duration.ofMinutes(1));
        assertThat(text(store.get(key))).hasValue("fresh");
    }

    @Test
    void aKilledRedisIsAnEmptyStoreAndARestartedOneIsUsedAgain() {
        try (EmbeddedRedis own = EmbeddedRedis.start(0);
             UnifiedJedis ownClient = RedisClients.create(config(own.port(), 4, Duration.ofMillis(50)))) {
            RedisSharedStore onOwn = store(ownClient, BREAKER);
            onOwn.put(key("killed"), value("cached"), Duration.ofMinutes(1));
            onOwn.bumpGeneration("killed-user");
            assertThat(onOwn.get(key("killed"))).isPresent();

            own.stop();

            assertThat(timed(() -> onOwn.get(key("killed")))).isEmpty();
            assertThat(timed(() -> onOwn.getAll(List.of(key("killed"))))).isEmpty();
            assertThat(timed(() -> onOwn.tryLock(key("killed-lock"), Duration.ofSeconds(1))))
                    .isEqualTo(new LockAttempt.Unavailable());
            assertThat(timed(() -> onOwn.generation("killed-user"))).isEmpty();
            timed(() -> {
                onOwn.put(key("killed"), value("dropped"), Duration.ofMinutes(1));
                onOwn.unlock(key("killed-lock"), "token");
                onOwn.bumpGeneration("killed-user");
                return null;
            });
            assertThat(onOwn.breakerState()).isEqualTo("open");

            own.restart();
            skipped.addAndGet(BREAKER.openFor().toNanos());

            assertThat(onOwn.get(key("killed"))).as("a restarted Redis is empty").isEmpty();
            assertThat(onOwn.breakerState()).isEqualTo("closed");
            onOwn.put(key("killed"), value("again"), Duration.ofMinutes(1));
            assertThat(text(onOwn.get(key("killed")))).hasValue("again");
            assertThat(onOwn.tryLock(key("killed-lock"), Duration.ofSeconds(1))).isInstanceOf(LockAttempt.Won.class);
        }
    }

    @Test
    void anExhaustedPoolIsAFastMissNotAWait() throws InterruptedException {
        try (FaultProxy stuck = FaultProxy.start("redis-pool", new InetSocketAddress("127.0.0.1", redis.port()), 0);
             UnifiedJedis oneConnection = RedisClients.create(new RedisConfig(
                     URI.create("redis://127.0.0.1:" + stuck.port()), List.of(), Duration.ofSeconds(5), 1,
                     Duration.ofMillis(20)))) {
            RedisSharedStore onOne = store(oneConnection, BREAKER);
            assertThat(stuck.requests()).as("the client connects on first use").isZero();
            stuck.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
            Thread holder = Thread.ofVirtual().start(() -> onOne.get(key("held")));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stuck.requests() == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(5); // until the holder has the pool's one connection, hung
            }
            assertThat(stuck.requests()).isEqualTo(1);
            long errors = count(BraidMeters.STORE_ERRORS, "get");

            assertThat(timed(() -> onOne.get(key("waiting")))).isEmpty();

            assertThat(count(BraidMeters.STORE_ERRORS, "get")).isEqualTo(errors + 1);
            stuck.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
            holder.join(Duration.ofSeconds(10));
            assertThat(holder.isAlive()).isFalse();
        }
    }

    private static RedisSharedStore store(UnifiedJedis jedis, RedisConfig.Breaker breaker) {
        return new RedisSharedStore(jedis, new RedisConfig(URI.create("redis://127.0.0.1:6379"), List.of(), TIMEOUT, 4,
                                                           Duration.ofMillis(50), breaker), METERS, CLOCK);
    }

    private static RedisConfig config(int port, int connections, Duration poolWait) {
        return new RedisConfig(URI.create("redis://127.0.0.1:" + port), List.of(), TIMEOUT, connections, poolWait, BREAKER);
    }

    private static long errors() {
        return OPERATIONS.stream().mapToLong(operation -> count(BraidMeters.STORE_ERRORS, operation)).sum();
    }

    private static long shortCircuits() {
        return OPERATIONS.stream().mapToLong(operation -> count(BraidMeters.STORE_SHORT_CIRCUITS, operation)).sum();
    }

    private static <T> T timed(Supplier<T> call) {
        long started = System.nanoTime();
        T result = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
        return result;
    }
}
