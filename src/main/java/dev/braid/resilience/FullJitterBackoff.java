package dev.braid.resilience;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): before retry k
 * (0-based) wait a uniformly random time in [0, min(max, base·2^k)). Spreading retries over the whole interval keeps a
 * fleet of clients from retrying in lock-step against a downstream that just recovered.
 */
public record FullJitterBackoff(Duration base, Duration max, DoubleSupplier random) {

    public Duration delay(int retry) {
        long ceiling = Math.min(max.toNanos(), base.toNanos() << Math.min(retry, 30));
        return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
    }
}
