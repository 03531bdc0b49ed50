package dev.braid.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.braid.observe.BraidMeters;
import dev.braid.testing.MutableClock;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tiers' logic with a controlled clock, a background executor the test runs by hand and an in-memory shared store
 * (pure logic; the Redis store is RedisSharedStoreIT's subject, the whole service CachingIT's).
 */
class TieredCacheTest {
    private static final CacheConfig.Ttl TTL = new CacheConfig.Ttl(Duration.ofSeconds(30), Duration.ofMinutes(10));
    private static final CacheSpec.Codec<String> UTF8 = new CacheSpec.Codec<>() {
        @Override
        public byte[] encode(String value) {
            if (value.equals("unwritable")) {
                throw new IllegalArgumentException("cannot encode");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            String value = new String(bytes, StandardCharsets.UTF_8);
            if (value.startsWith("garbage")) {
                throw new IllegalArgumentException("not a value");
            }
            return value;
        }
    };

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final MemoryStore store = new MemoryStore();
    private final Queue<Runnable> background = new ArrayDeque<>();
    private final AtomicInteger originCalls = new AtomicInteger();

    private TieredCache<String> cache(boolean l1, SharedStore shared) {
        CacheConfig config = new CacheConfig(true, l1, 100, Duration.ofSeconds(2), Duration.ZERO, 0, 0, Duration.ofSeconds(5),
                                              Duration.ZERO, false, TTL, TTL);
        CacheSpec<String> spec = new CacheSpec<>("test", TTL, String::isEmpty, value -> value.equals("failed"), UTF8);
        return new TieredCache<>(spec, config, shared, clock, () -> 0.5, background::add,
                                 new BraidMeters(Metrics.globalRegistry()));
    }

    private Supplier<String> origin(String value) {
        return () -> {
            originCalls.incrementAndGet();
            return value;
        };
    }

    @Test
    void aColdMissCallsTheOriginOnceThenMemoryAnswers() {
        TieredCache<String> cache = cache(true, store);
        assertThat(cache.get("k", origin("v1")).outcome()).isEqualTo(CacheOutcome.MISS);
        Lookup<String> again = cache.get("k", origin("v2"));
        assertThat(again.outcome()).isEqualTo(CacheOutcome.HIT_L1);
        assertThat(again.value()).isEqualTo("v1");
        assertThat(originCalls).hasValue(1);
        assertThat(store.locks).isEmpty();
    }

    @Test
    void pastSoftExpiryTheStaleValueIsServedAtOnceAndOneRefreshRuns() {
        TieredCache<String> cache = cache(true, store);
        cache.get("k", origin("v1"));
        clock.advance(Duration.ofSeconds(31));

        Lookup<String> stale = cache.get("k", origin("v2"));
        Lookup<String> staleAgain = cache.get("k", origin("v2"));
        assertThat(stale.outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(stale.value()).isEqualTo("v1");
        assertThat(staleAgain.value()).isEqualTo("v1");
        assertThat(background).hasSize(1);
        assertThat(originCalls).hasValue(1);

        background.poll().run();
        assertThat(originCalls).hasValue(2);
        assertThat(cache.get("k", origin("v3"))).isEqualTo(new Lookup<>("v2", CacheOutcome.HIT_L1, false));
    }

    @Test
    void pastHardExpiryItIsAMiss() {
        TieredCache<String> cache = cache(true, store);
        cache.get("k", origin("v1"));
        clock.advance(Duration.ofMinutes(11));
        assertThat(cache.get("k", origin("v2"))).isEqualTo(new Lookup<>("v2", CacheOutcome.MISS, false));
    }

    @Test
    void whenTheOriginFailsAStaleValueStandsInFlagged() {
        TieredCache<String> cache = cache(true, store);
        cache.get("k", origin("v1"));
        clock.advance(Duration.ofSeconds(31));
        cache.get("k", () -> {
            throw new IllegalStateException("origin down");
        });
        background.poll().run();   // the refresh fails: the stale value stays, now as a stand-in
        assertThat(cache.get("k", origin("v2"))).isEqualTo(new Lookup<>("v1", CacheOutcome.STALE, true));
        clock.advance(Duration.ofMinutes(1));
        TieredCache<String> otherReplica = cache(true, store);
        Lookup<String> fromShared = otherReplica.get("k", () -> "failed");
        assertThat(fromShared.value()).isEqualTo("v1");
        assertThat(fromShared.outcome()).isEqualTo(CacheOutcome.STALE);

        TieredCache<String> coldReplica = cache(false, SharedStore.none());
        assertThatThrownBy(() -> coldReplica.get("k", () -> {
            throw new IllegalStateException("origin down");
        })).hasMessage("origin down");
        assertThat(coldReplica.get("k", () -> "failed")).isEqualTo(new Lookup<>("failed", CacheOutcome.MISS, false));
    }

    @Test
    void anOriginThatFailedARevalidationIsAskedAgainOnlyAfterTheBriefTime() {
        TieredCache<String> cache = cache(true, store);
        cache.get("k", origin("v1"));
        clock.advance(Duration.ofSeconds(31));
        AtomicInteger failing = new AtomicInteger();
        Supplier<String> down = () -> {
            failing.incrementAndGet();
            throw new IllegalStateException("origin timing out");
        };
        cache.get("k", down);
        background.poll().run();
        assertThat(failing).hasValue(1);

        // Requests keep coming: each is served the stand-in, and none asks the failing origin again meanwhile.
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(900));
            assertThat(cache.get("k", down)).isEqualTo(new Lookup<>("v1", CacheOutcome.STALE, true));
        }
        assertThat(background).isEmpty();

        clock.advance(Duration.ofMillis(600));   // 5.1 s after the failure: cache.short-lived has passed
        cache.get("k", origin("v2"));
        background.poll().run();
        assertThat(cache.get("k", origin("v3"))).isEqualTo(new Lookup<>("v2", CacheOutcome.HIT_L1, false));
        assertThat(failing).hasValue(1);
    }

    @Test
    void aFailedValueIsNeverStoredAndAStaleOneIsPreferredToIt() {
        TieredCache<String> cache = cache(true, store);
        cache.get("k", origin("v1"));
        clock.advance(Duration.ofSeconds(31));
        cache.get("k", () -> "failed");
        background.poll().run();
        Lookup<String> lookup = cache.get("k", origin("v2"));
        assertThat(lookup.value()).isEqualTo("v1");
        assertThat(store.values.values()).noneMatch(bytes -> new String(bytes, StandardCharsets.UTF_8).endsWith("failed"));
    }

    @Test
    void aPutValueIsFoundOnAnotherReplicaUntilItsHardExpiryAndNeverCallsAnOrigin() {
        cache(true, store).put("v", "list");
        TieredCache<String> other = cache(true, store);
        assertThat(other.find("v")).map(Lookup::outcome).contains(CacheOutcome.HIT_L2);
        assertThat(other.find("v")).map(Lookup::outcome).contains(CacheOutcome.HIT_L1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(other.find("v")).map(Lookup::value).contains("list");
        // kept for 10 minutes (no jitter configured): gone after that
        clock.advance(Duration.ofMinutes(6));
        assertThat(other.find("v")).isEmpty();
        assertThat(cache(true, store).find("never-put")).isEmpty();
        assertThat(originCalls).hasValue(0);
    }

    @Test
    void aFailedValueIsNotPut() {
        cache(true, store).put("v", "failed");
        assertThat(cache(true, store).find("v")).isEmpty();
    }

    @Test
    void theSharedTierAnswersAnotherReplicaAndFillsItsMemory() {
        cache(true, store).get("k", origin("v1"));
        TieredCache<String> other = cache(true, store);
        assertThat(other.get("k", origin("v2"))).isEqualTo(new Lookup<>("v1", CacheOutcome.HIT_L2, false));
        assertThat(other.get("k", origin("v2")).outcome()).isEqualTo(CacheOutcome.HIT_L1);
        assertThat(originCalls).hasValue(1);
    }

    @Test
    void withoutMemoryEveryLookupReadsTheSharedTier() {
        TieredCache<String> cache = cache(false, store);
        cache.get("k", origin("v1"));
        assertThat(cache.get("k", origin("v2")).outcome()).isEqualTo(CacheOutcome.HIT_L2);
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void whatDoesNotReadBackIsAMiss() {
        TieredCache<String> cache = cache(false, store);
        String key = cache.sharedKey("k");
        long soft = clock.millis() + 30_000;
        long hard = clock.millis() + 600_000;
        List<byte[]> broken = List.of(
                "not an envelope".getBytes(StandardCharsets.UTF_8),
                new byte[3],
                withSchema(Envelope.SCHEMA + 1, Envelope.write(soft, hard, 0, "old".getBytes(StandardCharsets.UTF_8))),
                Envelope.write(soft, hard, 0, "garbage".getBytes(StandardCharsets.UTF_8)),
                Envelope.write(hard, soft, 0, "hard before soft".getBytes(StandardCharsets.UTF_8)));
        for (byte[] bytes : broken) {
            store.values.put(key, bytes);
            assertThat(cache.get("k", origin("fresh")).outcome()).isEqualTo(CacheOutcome.MISS);
        }
        assertThat(originCalls).hasValue(broken.size());
    }

    @Test
    void aHeldLockWithNothingToServeWaitsThenCallsTheOriginItself() {
        store.locks.put(cache(true, store).sharedKey("k") + ":lock", "someone-else");
        Lookup<String> lookup = cache(true, store).get("k", origin("v1"));
        assertThat(lookup).isEqualTo(new Lookup<>("v1", CacheOutcome.MISS, false));
        assertThat(store.locks).containsValue("someone-else");
    }

    @Test
    void anUnwritableValueIsServedAndLeavesNoLockBehind() {
        TieredCache<String> cache = cache(true, store);
        assertThat(cache.get("k", origin("unwritable")).value()).isEqualTo("unwritable");
        assertThat(store.locks).isEmpty();
        assertThat(store.values).isEmpty();
    }

    @Test
    void concurrentColdLookupsOfOneKeyShareOneLoad() throws Exception {
        TieredCache<String> cache = cache(true, store);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<String> slowOrigin = () -> {
            originCalls.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "v";
        };
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Lookup<String>>> lookups = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                lookups.add(threads.submit(() -> cache.get("k", slowOrigin)));
            }
            while (originCalls.get() == 0) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (Future<Lookup<String>> lookup : lookups) {
                assertThat(lookup.get().value()).isEqualTo("v");
            }
        }
        assertThat(originCalls).hasValue(1);
    }

    @Test
    void emptyValuesAreKeptBriefly() {
        TieredCache<String> cache = cache(true, store);
        cache.get("k", origin(""));
        clock.advance(Duration.ofSeconds(6));
        assertThat(cache.get("k", origin("v")).outcome()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void briefValuesWrittenWithJitterReadBackFromTheSharedTier() {
        // Draws alternate between the ends of the jitter range: fresh and keep jittered apart would put a brief
        // value's hard expiry before its soft one, and the shared tier would refuse what it had just been given.
        double[] draws = {1.0, 0.0};
        AtomicInteger draw = new AtomicInteger();
        CacheConfig config = new CacheConfig(true, false, 100, Duration.ofSeconds(2), Duration.ZERO, 0.2, 0,
                                             Duration.ofSeconds(5), Duration.ZERO, false, TTL, TTL);
        CacheSpec<String> spec = new CacheSpec<>("test", TTL, String::isEmpty, value -> value.equals("failed"), UTF8);
        TieredCache<String> cache = new TieredCache<>(spec, config, store, clock,
                                                      () -> draws[draw.getAndIncrement() % draws.length],
                                                      background::add, new BraidMeters(Metrics.globalRegistry()));
        for (int i = 0; i < 4; i++) {
            cache.get("k" + i, origin(""));
            assertThat(cache.get("k" + i, origin("v")).outcome()).as("lookup %d", i).isEqualTo(CacheOutcome.HIT_L2);
        }
        assertThat(originCalls).hasValue(4);
    }

    private static byte[] withSchema(int schema, byte[] envelope) {
        java.nio.ByteBuffer.wrap(envelope).putInt(0, schema);
        return envelope;
    }
}
