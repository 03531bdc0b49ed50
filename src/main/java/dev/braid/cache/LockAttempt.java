package dev.braid.cache;

/** How an attempt to take a revalidation lock in the shared tier went. */
public sealed interface LockAttempt {
    /** This replica holds the lock; only {@code token} releases it. */
    record Won(String token) implements LockAttempt {
    }

    /** Another owner holds it: its result will appear in the shared tier. */
    record Held() implements LockAttempt {
    }

    /** The store could not answer: there is nobody to wait for, so the caller goes to the origin itself. */
    record Unavailable() implements LockAttempt {
    }
}
