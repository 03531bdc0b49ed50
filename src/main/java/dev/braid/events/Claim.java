package dev.braid.events;

/** What the store said when a request asked to take its idempotency key ({@link EventSink#claim}). */
public sealed interface Claim {

    /**
     * The key is this request's until it commits, releases it or the lock expires.
     *
     * @param token        proves the ownership to the store: only a commit with this token applies the batch
     * @param storeMicros  the store's clock when the key was taken, in microseconds: writes are accepted until the
     *                     lock expires on that clock
     */
    record Claimed(String token, long storeMicros) implements Claim {
    }

    /** A request with this key and the same body was applied: its answer is to be replayed, nothing applied again. */
    record Replay(StoredAnswer answer) implements Claim {
    }

    /** A request with this key and the same body is being applied right now. */
    record InFlight() implements Claim {
    }

    /** The key was used with another body. */
    record Mismatch() implements Claim {
    }
}
