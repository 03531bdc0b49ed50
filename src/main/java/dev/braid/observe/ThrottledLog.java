package dev.braid.observe;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a recurring failure at most once per interval: when Redis is down, every request would otherwise log it. Counts
 * what it suppressed, so the next line says how often it happened.
 */
public final class ThrottledLog {
    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    public ThrottledLog(Logger logger, Duration interval, LongSupplier nanoTime) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /** Logs {@code message} unless a line was logged less than an interval ago; returns whether it logged. */
    public boolean warn(String message, Throwable cause) {
        long now = nanoTime.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        logger.log(Level.WARNING, skipped == 0 ? message : message + " (" + skipped + " more since the last report)", cause);
        return true;
    }
}
