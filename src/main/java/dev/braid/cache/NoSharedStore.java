package dev.braid.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link SharedStore#none()}: a replica alone, with nobody to share a cache or a lock with. */
enum NoSharedStore implements SharedStore {
    INSTANCE;

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
    public void putAll(Map<String, byte[]> values, Map<String, Duration> ttls) {
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
        return 0;
    }

    @Override
    public void bumpGeneration(String user) {
    }
}
