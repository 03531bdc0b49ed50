package dev.braid.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link SharedStore#none()}: a replica alone; locks are always won, since there is nobody to share the work with. */
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
    public Optional<String> tryLock(String lockKey, Duration ttl) {
        return Optional.of(UUID.randomUUID().toString());
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
