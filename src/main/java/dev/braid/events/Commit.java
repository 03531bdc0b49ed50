package dev.braid.events;

import java.util.Objects;

/**
 * What the store records together with a batch's effects, in the same atomic step, so that no crash, timeout or lost
 * reply leaves the batch applied without its record or recorded without being applied.
 *
 * @param key      the client's key; {@code null} for a batch sent without one (then the record only lets the store
 *                 tell, after a failure, whether the batch was applied: it lives for the lock's time)
 * @param token    the claim's token ({@link Claim.Claimed}), or a fresh random id for a batch without a key
 * @param answer   what to replay for the key; {@code null} without a key
 * @param deadline the store's clock, in microseconds, after which the write must not take effect any more (the lock
 *                 expired, someone else may hold the key); 0: none
 */
public record Commit(IdempotencyKey key, String token, StoredAnswer answer, long deadline) {
    public Commit {
        Objects.requireNonNull(token, "token");
        if ((key == null) != (answer == null)) {
            throw new IllegalArgumentException("a keyed commit records its answer, an anonymous one none");
        }
    }

    public static Commit anonymous(String id) {
        return new Commit(null, id, null, 0);
    }

    public boolean keyed() {
        return key != null;
    }
}
