package dev.braid.ratelimit;

/**
 * The generic cell rate algorithm, as the Redis script runs it: each caller has a theoretical arrival time (TAT); a
 * request advances it by one emission interval (window / quota) and is allowed while the TAT stays within a window of
 * now, so a quota may be spent at once and comes back one request per interval. One number of state per caller, no
 * timers, exact at every instant.
 */
public final class Gcra {
    private Gcra() {
    }

    /** The state after one decision: the caller's new TAT (unchanged when refused) and the decision. */
    public record Step(long tatMicros, RateDecision decision) {
    }

    /**
     * @param storedTat the caller's TAT in microseconds, or a value at or before {@code now} for a new caller
     * @param now       the current time in microseconds
     */
    public static Step step(long storedTat, long now, RateLimitConfig.Quota quota) {
        long window = quota.window().toNanos() / 1_000;
        long interval = window / quota.quota();
        long tat = Math.max(storedTat, now);
        long next = tat + interval;
        if (next - now > window) {
            // Refused: the next request fits once the TAT is back within a window of now.
            long wait = next - now - window;
            return new Step(storedTat, decision(false, quota, 0, wait));
        }
        long remaining = (window - (next - now)) / interval;
        return new Step(next, decision(true, quota, remaining, next - now));
    }

    /** The decision for the outcome of a step taken elsewhere (the Redis script), times in microseconds. */
    public static RateDecision decision(boolean allowed, RateLimitConfig.Quota quota, long remaining, long resetMicros) {
        // Whole seconds, rounded up: a client that waits t seconds is never early. A refusal always says at least 1.
        long seconds = (resetMicros + 999_999) / 1_000_000;
        return new RateDecision(allowed, quota.quota(), quota.windowSeconds(), remaining,
                                allowed ? seconds : Math.max(1, seconds));
    }
}
