package dev.braid.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cache tier every replica shares (Redis). Values are opaque bytes (the cache's envelopes). Nothing here throws:
 * an unreachable, slow, refusing or confused store answers like an empty one (a miss, no lock), says it does not know
 * (a generation) or that it did not do it (a bump), and its failures are counted and logged by the implementation.
 */
public interface SharedStore {

    /** The value under {@code key}, if the store has one and answers in time. */
    Optional<byte[]> get(String key);

    /** The values present among {@code keys}, in one round trip (MGET or a pipeline); absent keys are left out. */
    Map<String, byte[]> getAll(List<String> keys);

    /** Stores {@code value} under {@code key} until {@code ttl} has passed. */
    void put(String key, byte[] value, Duration ttl);

    /** Stores every value until its ttl in {@code ttls} has passed, in one round trip (a pipeline of SET PX). */
    void putAll(Map<String, byte[]> values, Map<String, Duration> ttls);

    /**
     * Tries to take the short-lived lock {@code lockKey} ({@code SET NX PX} with a fresh owner token). The lock
     * expires after {@code ttl} whatever happens to its owner. {@code Unavailable} can also mean that the command timed
     * out after Redis had set the lock: nobody then owns it knowingly, and it expires after its ttl.
     */
    LockAttempt tryLock(String lockKey, Duration ttl);

    /**
     * Releases {@code lockKey} if, and only if, {@code token} still owns it (compare-and-delete, atomically): a lock
     * that expired and was taken by another owner is left alone. Safe in the {@code finally} block of a cancelled
     * (interrupted) task: the release still goes out, and the thread stays interrupted.
     */
    void unlock(String lockKey, String token);

    /**
     * The user's cache generation: a counter that events which should change the user's recommendations bump
     * ({@code INCR gen:{USER}}); 0 when the user has none. Empty when the store cannot answer: an unknown generation
     * is never 0, or a list made before the user's last purchase would pass for current.
     */
    OptionalLong generation(String user);

    /**
     * Bumps the user's generation, so that every cached entry keyed with the old one is never read again.
     *
     * @return whether the store applied it
     */
    boolean bumpGeneration(String user);

    /** No shared tier: every read misses, every write is dropped, every lock attempt is {@code Unavailable}. */
    static SharedStore none() {
        return NoSharedStore.INSTANCE;
    }
}
