package dev.braid.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a replica reads generations (pure logic over a counting in-memory store). */
class GenerationsTest {
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final SharedStore store = new SharedStore() {
        @Override
        public Optional<byte[]> get(String key) {
            return Optional.empty();
        }

        @Override
        public Map<String, byte[]> getAll(List<String> keys) {
            return Map.of();
        }

        @Override
        public void put(String key, byte[] value, Duration ttl) {
        }

        @Override
        public LockAttempt tryLock(String lockKey, Duration ttl) {
            return new LockAttempt.Unavailable();
        }

        @Override
        public void unlock(String lockKey, String token) {
        }

        @Override
        public long generation(String user) {
            reads.incrementAndGet();
            return generation.get();
        }

        @Override
        public void bumpGeneration(String user) {
            generation.incrementAndGet();
        }
    };

    @Test
    void withoutReuseEveryReadAsksTheSharedTier() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        generations.of("u");
        generations.bump("u");
        assertThat(generations.of("u")).isEqualTo(1);
        assertThat(reads).hasValue(2);
    }

    @Test
    void withReuseOneReadServesUntilThisReplicaBumps() {
        Generations generations = new Generations(store, Duration.ofMinutes(1), 10);
        assertThat(generations.of("u")).isZero();
        generation.set(5);   // another replica bumped it
        assertThat(generations.of("u")).isZero();
        assertThat(reads).hasValue(1);
        generations.bump("u");
        assertThat(generations.of("u")).isEqualTo(6);
    }
}
