package dev.braid.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The latencies of a downstream's most recent successful calls, for the hedging delay: "send a second request once the
 * first has taken longer than 95% of calls usually do" (Dean & Barroso, The Tail at Scale).
 */
public final class LatencyWindow {
    /** Fewer samples than this say nothing about a tail. */
    static final int MIN_SAMPLES = 20;

    private final long[] samples;
    private int next;
    private int size;

    public LatencyWindow(int capacity) {
        this.samples = new long[capacity];
    }

    public synchronized void record(Duration latency) {
        samples[next] = latency.toNanos();
        next = (next + 1) % samples.length;
        size = Math.min(size + 1, samples.length);
    }

    /** The 95th percentile of the window, once it holds enough samples. */
    public Optional<Duration> p95() {
        long[] copy;
        synchronized (this) {
            if (size < MIN_SAMPLES) {
                return Optional.empty();
            }
            copy = Arrays.copyOf(samples, size);
        }
        Arrays.sort(copy);
        return Optional.of(Duration.ofNanos(copy[(int) Math.ceil(0.95 * copy.length) - 1]));
    }
}
