package dev.braid.resilience;

/**
 * The quota a downstream's calls are counted against before they go out: each call (a retry included) takes one, and a
 * call that finds none is refused at once rather than queued. The composition root gives every guarded source its
 * fleet-wide quota here; a guard built without one counts on this replica alone ({@link TokenBucket}).
 */
@FunctionalInterface
public interface CallQuota {

    /** Whether one more call may go now; takes it when it may. */
    boolean tryAcquire();

    static CallQuota unlimited() {
        return () -> true;
    }
}
