package dev.braid.redis;

import java.util.function.LongSupplier;

/**
 * The shared tier's circuit breaker: after {@code failures} failed calls in a row every call is refused at once, without
 * touching the network, for {@code openFor}; then one call at a time goes through as a probe, and its result closes the
 * breaker or opens it again. Simpler than a downstream's guard on purpose: Redis answers in well under a millisecond
 * when it is healthy, so a few consecutive failures already say it is not.
 *
 * <p>Results are reported by the thread that was let through. While open or half-open, results of calls that started
 * before the breaker opened are ignored: a late success must not close it, a late failure must not prolong it.
 */
final class StoreBreaker {

    /** In the order of the gauge's values: 0 closed, 1 half-open, 2 open. */
    enum State {
        CLOSED, HALF_OPEN, OPEN;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private Thread probe;
    private long probeStartedAt;

    StoreBreaker(RedisConfig.Breaker config, LongSupplier nanoTime) {
        this.threshold = config.failures();
        this.openForNanos = config.openFor().toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether the calling thread may call Redis now; if it may, it must report one result (or {@link #abandon()}). */
    synchronized boolean tryAcquire() {
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> nanoTime.getAsLong() - openedAt >= openForNanos && startProbe();
            // A probe that never reported (it cannot happen with the store's finally blocks, but a stuck breaker would
            // cost Redis for good) is replaced after another open-for.
            case HALF_OPEN -> nanoTime.getAsLong() - probeStartedAt >= openForNanos && startProbe();
        };
    }

    /** Redis answered: closes a half-open breaker when this was the probe, resets the count of failures. */
    synchronized void onSuccess() {
        switch (state) {
            case CLOSED -> consecutiveFailures = 0;
            case HALF_OPEN -> {
                if (isProbe()) {
                    state = State.CLOSED;
                    consecutiveFailures = 0;
                    probe = null;
                }
            }
            case OPEN -> {
                // A call from before the breaker opened: says nothing about now.
            }
        }
    }

    /** Redis failed (unreachable, timed out, refused, pool exhausted): counts toward opening, or reopens after a probe. */
    synchronized void onFailure() {
        switch (state) {
            case CLOSED -> {
                if (++consecutiveFailures >= threshold) {
                    open();
                }
            }
            case HALF_OPEN -> {
                if (isProbe()) {
                    open();
                }
            }
            case OPEN -> {
                // Late failures of calls that were already in flight when it opened.
            }
        }
    }

    /**
     * The call ended without saying anything about Redis (its thread was interrupted): a probe's slot goes to the next
     * caller at once.
     */
    synchronized void abandon() {
        if (state == State.HALF_OPEN && isProbe()) {
            state = State.OPEN;
            probe = null;
            openedAt = nanoTime.getAsLong() - openForNanos;
        }
    }

    synchronized State state() {
        return state;
    }

    private boolean startProbe() {
        state = State.HALF_OPEN;
        probe = Thread.currentThread();
        probeStartedAt = nanoTime.getAsLong();
        return true;
    }

    private boolean isProbe() {
        return probe == Thread.currentThread();
    }

    private void open() {
        state = State.OPEN;
        openedAt = nanoTime.getAsLong();
        probe = null;
        consecutiveFailures = 0;
    }
}
