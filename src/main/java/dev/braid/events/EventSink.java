package dev.braid.events;

/**
 * Where the effects of a batch go (Redis), together with the record of its idempotency key: one atomic step, so that a
 * batch is applied exactly when its record says so.
 */
public interface EventSink {

    /**
     * Takes {@code key} for a request whose canonical body has {@code fingerprint}: claimed, or what an earlier request
     * with the key left (its answer, still in flight, or another body). The number of keys kept per caller is bounded:
     * the oldest are forgotten first.
     *
     * @throws EventsUnavailableException when the store cannot answer; nothing was taken
     */
    Claim claim(IdempotencyKey key, String fingerprint);

    /**
     * Applies the effects and records the commit, atomically: afterwards the batch has been applied exactly once.
     *
     * @return {@code false} when the key is no longer this request's (its lock expired and another request took it):
     *         nothing was applied by this call
     * @throws EventsUnavailableException when the store could not take the batch; {@link EventsUnavailableException#maybeApplied()}
     *                                    says whether it might still have been applied (a lost reply, a timeout)
     */
    boolean apply(EventEffects effects, Commit commit);

    /**
     * Gives a claimed key back after its batch was not applied, so that the client's retry need not wait for the lock
     * to expire; only the holder of {@code token} can. Best effort: a failure leaves the lock to expire.
     */
    void release(IdempotencyKey key, String token);

    /** No store at all: every batch is refused, so that clients keep their events and retry later. */
    static EventSink unavailable() {
        return new EventSink() {
            @Override
            public Claim claim(IdempotencyKey key, String fingerprint) {
                throw new EventsUnavailableException("no event store is configured or reachable", null, false);
            }

            @Override
            public boolean apply(EventEffects effects, Commit commit) {
                throw new EventsUnavailableException("no event store is configured or reachable", null, false);
            }

            @Override
            public void release(IdempotencyKey key, String token) {
                // nothing was taken
            }
        };
    }
}
