package dev.braid.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A shared store in memory for pure logic tests: values, locks and generations, no expiry (the cache keeps expiry in
 * its envelopes); counts reads. The Redis store is RedisSharedStoreIT's subject.
 */
public final class MemoryStore implements SharedStore {
    public final Map<String, byte[]> values = new HashMap<>();
    public final Map<String, String> locks = new HashMap<>();
    public final Map<String, Long> generations = new HashMap<>();
    public final AtomicInteger reads = new AtomicInteger();

    @Override
    public synchronized Optional<byte[]> get(String key) {
        reads.incrementAndGet();
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public synchronized Map<String, byte[]> getAll(List<String> keys) {
        Map<String, byte[]> found = new HashMap<>();
        keys.forEach(key -> get(key).ifPresent(value -> found.put(key, value)));
        return found;
    }

    @Override
    public synchronized void put(String key, byte[] value, Duration ttl) {
        values.put(key, value);
    }

    @Override
    public synchronized void putAll(Map<String, byte[]> entries, Map<String, Duration> ttls) {
        values.putAll(entries);
    }

    @Override
    public synchronized LockAttempt tryLock(String lockKey, Duration ttl) {
        if (locks.containsKey(lockKey)) {
            return new LockAttempt.Held();
        }
        String token = UUID.randomUUID().toString();
        locks.put(lockKey, token);
        return new LockAttempt.Won(token);
    }

    @Override
    public synchronized void unlock(String lockKey, String token) {
        locks.remove(lockKey, token);
    }

    /** While {@code down}, the store cannot answer: generations are unknown and bumps not applied. */
    public volatile boolean down;

    /** Runs inside every generation read, before it answers: a test's chance to change the world meanwhile. */
    public volatile Runnable duringRead = () -> {
    };

    @Override
    public OptionalLong generation(String user) {
        OptionalLong read = readGeneration(user);
        duringRead.run();
        return read;
    }

    private synchronized OptionalLong readGeneration(String user) {
        reads.incrementAndGet();
        return down ? OptionalLong.empty() : OptionalLong.of(generations.getOrDefault(user, 0L));
    }

    @Override
    public synchronized boolean bumpGeneration(String user) {
        if (down) {
            return false;
        }
        generations.merge(user, 1L, Long::sum);
        return true;
    }
}
