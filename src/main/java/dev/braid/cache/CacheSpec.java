package dev.braid.cache;

import java.util.function.Predicate;

/**
 * What one cache holds and how it judges its values.
 *
 * @param name       the cache's name in keys, metrics and events
 * @param ttl        fresh and keep times of ordinary values
 * @param shortLived values kept only for {@link CacheConfig#shortLived()} (empty or partial answers)
 * @param failed     values that mean the origin failed: never stored, and a stale value is preferred to them
 * @param codec      how values are written to and read from the shared tier
 */
public record CacheSpec<V>(String name, CacheConfig.Ttl ttl, Predicate<V> shortLived, Predicate<V> failed,
                           Codec<V> codec) {

    /** Bytes for the shared tier and back. Decoding may throw: the cache counts that as a miss. */
    public interface Codec<V> {
        byte[] encode(V value);

        V decode(byte[] bytes);
    }
}
