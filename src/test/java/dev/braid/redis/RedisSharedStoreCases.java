package dev.braid.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.braid.cache.LockAttempt;
import dev.braid.observe.BraidMeters;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases every deployment of {@link RedisSharedStore} must pass, standalone ({@link RedisSharedStoreIT}) and as a
 * cluster ({@link RedisSharedStoreClusterIT}): binary round trips, wrong types as misses, locks, generations.
 */
abstract class RedisSharedStoreCases {
    static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    /** The tests' breaker: opens after 3 failures; the clock only moves when a test moves it. */
    static final RedisConfig.Breaker BREAKER = new RedisConfig.Breaker(3, Duration.ofSeconds(2));
    private static final Pattern CALLS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    RedisSharedStore store;

    /** The store under test, on a fresh breaker. */
    abstract RedisSharedStore newStore(RedisConfig.Breaker breaker);

    /** A client that reaches the same Redis without faults, to arrange and inspect keys. */
    abstract UnifiedJedis direct();

    /** How often {@code command} has run ({@code INFO commandstats}), summed over every server. */
    abstract long calls(String command);

    @BeforeEach
    void freshStore() {
        store = newStore(BREAKER);
    }

    @Test
    void binaryValuesRoundTrip() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        String key = key("binary-ключ");

        store.put(key, every, Duration.ofMinutes(1));

        assertThat(store.get(key)).hasValueSatisfying(value -> assertThat(value).isEqualTo(every));
        assertThat(store.get(key("absent"))).isEmpty();
        long ttl = direct().pttl(key);
        assertThat(ttl).isPositive().isLessThanOrEqualTo(60_000);
    }

    @Test
    void getAllAnswersThePresentKeysOnlyAcrossSlots() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(key("item-" + i));
            store.put(keys.get(i), value("envelope-" + i), Duration.ofMinutes(1));
        }
        List<String> asked = new ArrayList<>(keys);
        asked.add(key("absent-1"));
        asked.add(keys.get(0)); // a duplicate is read once

        Map<String, byte[]> found = store.getAll(asked);

        assertThat(found).hasSize(100).doesNotContainKey(key("absent-1"));
        for (int i = 0; i < 100; i++) {
            assertThat(found.get(keys.get(i))).asString(StandardCharsets.UTF_8).isEqualTo("envelope-" + i);
        }
        assertThat(store.getAll(List.of())).isEmpty();
    }

    @Test
    void aKeyOfAnotherTypeIsAMissNotAnExceptionNorAnOutage() {
        String list = key("a-list");
        String envelope = key("an-envelope");
        direct().del(list);
        direct().rpush(list, "not an envelope");
        store.put(envelope, value("ok"), Duration.ofMinutes(1));
        long errors = count(BraidMeters.STORE_ERRORS, "get");

        for (int i = 0; i < 2 * BREAKER.failures(); i++) {
            assertThat(store.get(list)).isEmpty();
        }
        assertThat(store.getAll(List.of(list, envelope))).containsOnlyKeys(envelope);

        assertThat(count(BraidMeters.STORE_ERRORS, "get")).isEqualTo(errors + 2L * BREAKER.failures());
        assertThat(store.breakerState()).as("Redis answered: the breaker stays closed").isEqualTo("closed");
        assertThat(store.get(envelope)).isPresent();
    }

    @Test
    void oneOfTwoContendersWinsTheLockTheOtherFindsItHeld() throws InterruptedException {
        String lock = key("lock-" + UUID.randomUUID());
        CountDownLatch go = new CountDownLatch(1);
        List<LockAttempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> contenders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            contenders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                attempts.add(store.tryLock(lock, Duration.ofSeconds(10)));
            }));
        }
        go.countDown();
        for (Thread contender : contenders) {
            contender.join();
        }

        assertThat(attempts).hasSize(2);
        assertThat(attempts).filteredOn(LockAttempt.Won.class::isInstance).hasSize(1);
        assertThat(attempts).filteredOn(LockAttempt.Held.class::isInstance).hasSize(1);
        LockAttempt.Won won = (LockAttempt.Won) attempts.stream().filter(LockAttempt.Won.class::isInstance).findFirst().get();
        assertThat(direct().get(lock)).isEqualTo(won.token());
    }

    @Test
    void onlyTheOwnerReleasesTheLock() {
        String lock = key("lock-" + UUID.randomUUID());
        LockAttempt.Won first = won(store.tryLock(lock, Duration.ofSeconds(10)));
        assertThat(store.tryLock(lock, Duration.ofSeconds(10))).isEqualTo(new LockAttempt.Held());

        store.unlock(lock, "someone-else");
        assertThat(direct().get(lock)).as("a non-owner's unlock leaves it").isEqualTo(first.token());
        assertThat(store.tryLock(lock, Duration.ofSeconds(10))).isEqualTo(new LockAttempt.Held());

        store.unlock(lock, first.token());
        assertThat(direct().exists(lock)).as("the owner's unlock removes it").isFalse();
        LockAttempt.Won second = won(store.tryLock(lock, Duration.ofSeconds(10)));
        assertThat(second.token()).isNotEqualTo(first.token());

        store.unlock(lock, first.token());
        assertThat(direct().get(lock)).as("the old owner cannot release the new owner's lock").isEqualTo(second.token());
    }

    @Test
    void aCrashedOwnersLockExpiresAndTheNextAttemptWins() throws InterruptedException {
        String lock = key("lock-" + UUID.randomUUID());
        LockAttempt.Won crashed = won(store.tryLock(lock, Duration.ofMillis(50)));
        // The owner never unlocks. Polled with a deadline: the lock's expiry is Redis's clock, not ours.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        LockAttempt next = store.tryLock(lock, Duration.ofSeconds(10));
        while (next instanceof LockAttempt.Held && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
            next = store.tryLock(lock, Duration.ofSeconds(10));
        }

        assertThat(next).isInstanceOf(LockAttempt.Won.class);
        assertThat(((LockAttempt.Won) next).token()).isNotEqualTo(crashed.token());
    }

    @Test
    void anInterruptedThreadStillReleasesItsLockAndStaysInterrupted() throws InterruptedException {
        String lock = key("lock-" + UUID.randomUUID());
        LockAttempt.Won owned = won(store.tryLock(lock, Duration.ofSeconds(30)));
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        long errors = count(BraidMeters.STORE_ERRORS, "unlock");

        Thread cancelled = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt(); // a cancelled revalidation, unlocking in its finally block
            store.unlock(lock, owned.token());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        cancelled.join();

        // Without clearing the interrupt, the virtual thread's socket read fails ("Closed by interrupt") after the
        // command went out: whether the lock is gone would be luck, and the unlock would count as an error.
        assertThat(count(BraidMeters.STORE_ERRORS, "unlock")).isEqualTo(errors);
        assertThat(direct().exists(lock)).isFalse();
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void interruptedCallersAreMissesThatSayNothingAboutRedis() throws InterruptedException {
        String key = key("interrupted");
        store.put(key, value("cached"), Duration.ofMinutes(1));

        for (int i = 0; i < 2 * BREAKER.failures(); i++) {
            Thread cancelled = Thread.ofVirtual().start(() -> {
                Thread.currentThread().interrupt();
                store.get(key);
            });
            cancelled.join();
        }

        assertThat(store.breakerState()).isEqualTo("closed");
        assertThat(text(store.get(key))).hasValue("cached");
    }

    @Test
    void theGenerationIsZeroUntilBumpedAndCountsBumps() {
        String user = "gen-" + RUN + "-1";
        direct().del(RedisSharedStore.generationKey(user));

        assertThat(store.generation(user)).hasValue(0);
        assertThat(store.bumpGeneration(user)).isTrue();
        assertThat(store.generation(user)).hasValue(1);
        store.bumpGeneration(user);
        assertThat(store.generation(user)).hasValue(2);

        assertThat(RedisSharedStore.generationKey(user)).isEqualTo("gen:{" + user + "}");
        assertThat(direct().ttl(RedisSharedStore.generationKey(user)))
                .isGreaterThan(Duration.ofDays(29).toSeconds()).isLessThanOrEqualTo(Duration.ofDays(30).toSeconds());
    }

    @Test
    void aNonNumericOrWrongTypeGenerationIsUnknownAndTheNextBumpHealsIt() {
        String garbled = "gen-" + RUN + "-2";
        String listed = "gen-" + RUN + "-3";
        direct().set(RedisSharedStore.generationKey(garbled), "seven");
        direct().del(RedisSharedStore.generationKey(listed));
        direct().rpush(RedisSharedStore.generationKey(listed), "7");
        long errors = count(BraidMeters.STORE_ERRORS, "generation");

        // Unknown, never 0: a list made under generation 0 must not pass for current.
        assertThat(store.generation(garbled)).isEmpty();
        assertThat(store.generation(listed)).isEmpty();
        assertThat(count(BraidMeters.STORE_ERRORS, "generation")).isEqualTo(errors + 2);

        store.bumpGeneration(garbled);
        store.bumpGeneration(listed);
        assertThat(store.generation(garbled)).hasValue(1);
        assertThat(store.generation(listed)).hasValue(1);
        assertThat(direct().ttl(RedisSharedStore.generationKey(listed))).isGreaterThan(Duration.ofDays(29).toSeconds());
        assertThat(store.breakerState()).isEqualTo("closed");
    }

    static String key(String name) {
        return "shared-store:" + RUN + ":" + name;
    }

    static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static LockAttempt.Won won(LockAttempt attempt) {
        assertThat(attempt).isInstanceOf(LockAttempt.Won.class);
        return (LockAttempt.Won) attempt;
    }

    static long count(String meter, String operation) {
        return Metrics.globalRegistry().counter(meter, List.of(Tag.create("operation", operation)))
                .map(Counter::count).orElse(0L);
    }

    /** {@code command}'s calls in one server's {@code INFO commandstats}. */
    static long calls(String commandstats, String command) {
        Matcher m = CALLS.matcher(commandstats);
        while (m.find()) {
            if (m.group(1).equals(command)) {
                return Long.parseLong(m.group(2));
            }
        }
        return 0;
    }

    static Optional<String> text(Optional<byte[]> value) {
        return value.map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }
}
