package dev.braid.ratelimit;

/**
 * A quota of calls toward a downstream, for the whole fleet: {@code perSecond} calls a second, of which {@code burst}
 * may go at once after a quiet spell. As GCRA: one call per emission interval, a tolerance of {@code burst} intervals.
 */
public record Rate(double perSecond, int burst) {
    public Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("calls per second must be positive (was " + perSecond + ")");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("a burst is at least one call (was " + burst + ")");
        }
    }

    /** The time between two calls at the steady rate, in microseconds (at least 1). */
    public long intervalMicros() {
        return Math.max(1, Math.round(1_000_000 / perSecond));
    }

    /** How far ahead of now the calls may be spent: the whole burst. */
    public long windowMicros() {
        return intervalMicros() * burst;
    }

    /** This quota shared out over {@code replicas}: each gets its part of the rate, and of the burst (at least one). */
    public Rate perReplica(int replicas) {
        return new Rate(perSecond / replicas, Math.max(1, burst / replicas));
    }
}
