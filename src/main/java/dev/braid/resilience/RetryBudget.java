package dev.braid.resilience;

import java.util.function.LongSupplier;

/**
 * How many retries a downstream's calls may add, over a sliding window (gRPC's and Finagle's retry budgets): at most
 * {@code ratio} of the calls made in the window, plus {@code minPerSecond} retries a second so that a quiet downstream
 * still gets its occasional retry. During an outage every call fails and would be retried; the budget keeps the retries
 * to a tenth of the load (by default) instead of multiplying it. Counted per downstream, on this replica.
 */
final class RetryBudget {
    private static final int BUCKETS = 10;

    private final double ratio;
    private final double floor;
    private final long bucketNanos;
    private final LongSupplier nanoTime;
    private final long[] calls = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private long bucket;

    RetryBudget(GuardConfig.Budget config, LongSupplier nanoTime) {
        this.ratio = config.ratio();
        this.floor = config.minPerSecond() * config.window().toNanos() / 1e9;
        this.bucketNanos = Math.max(1, config.window().toNanos() / BUCKETS);
        this.nanoTime = nanoTime;
        this.bucket = Math.floorDiv(nanoTime.getAsLong(), bucketNanos);
    }

    /** A first attempt was made. */
    synchronized void call() {
        calls[advance()]++;
    }

    /** Takes one retry from the budget if it has one left. */
    synchronized boolean tryRetry() {
        int current = advance();
        long made = 0;
        long retried = 0;
        for (int i = 0; i < BUCKETS; i++) {
            made += calls[i];
            retried += retries[i];
        }
        if (retried + 1 > ratio * made + floor) {
            return false;
        }
        retries[current]++;
        return true;
    }

    /** Gives back a retry taken but not made (its call was refused before it went out). */
    synchronized void refund() {
        int current = advance();
        if (retries[current] > 0) {
            retries[current]--;
        }
    }

    /** Moves the window to now, emptying the buckets that fell out of it; the current bucket's index. */
    private int advance() {
        long now = Math.floorDiv(nanoTime.getAsLong(), bucketNanos);
        long steps = Math.min(BUCKETS, now - bucket);
        for (long i = 1; i <= steps; i++) {
            int index = (int) Math.floorMod(bucket + i, (long) BUCKETS);
            calls[index] = 0;
            retries[index] = 0;
        }
        if (now > bucket) {
            bucket = now;
        }
        return (int) Math.floorMod(bucket, (long) BUCKETS);
    }
}
