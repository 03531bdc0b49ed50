package dev.braid.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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

    /** Without a shared store nothing bumps a generation: every user's is 0, and that is known. */
    @Override
    public OptionalLong generation(String user) {
        return OptionalLong.of(0);
    }

    /** Nowhere to keep it: not applied. */
    @Override
    public boolean bumpGeneration(String user) {
        return false;
    }
}
