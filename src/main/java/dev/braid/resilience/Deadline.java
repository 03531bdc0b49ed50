package dev.braid.resilience;

import java.time.Duration;

/**
 * The instant by which a piece of work must be done, on the monotonic clock. Passed down instead of timeouts, so that
 * every step gets at most the time that is actually left.
 */
public record Deadline(long expiresAtNanos) {

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public Duration remaining() {
        long left = expiresAtNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public boolean expired() {
        return expiresAtNanos - System.nanoTime() <= 0;
    }

    /** The earlier of this deadline and {@code budget} from now. */
    public Deadline atMost(Duration budget) {
        long other = System.nanoTime() + budget.toNanos();
        return other - expiresAtNanos < 0 ? new Deadline(other) : this;
    }

    /** This deadline moved earlier by {@code reserve}, e.g. to keep time for blending and serialization. */
    public Deadline minus(Duration reserve) {
        return new Deadline(expiresAtNanos - reserve.toNanos());
    }

    /** A call's own limit: the configured one, but never past this deadline. */
    public Duration cap(Duration configured) {
        Duration left = remaining();
        return configured.compareTo(left) < 0 ? configured : left;
    }
}
