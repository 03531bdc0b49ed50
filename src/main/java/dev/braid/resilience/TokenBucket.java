package dev.braid.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A client-side rate limit toward a downstream's quota: {@code perSecond} tokens a second, at most {@code burst} saved
 * up. A call that finds no token is refused at once rather than queued: the request's deadline is too short to wait for
 * a quota. A downstream's own "come back later" (Retry-After) empties the bucket until then.
 */
public final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;
    private long closedUntil;

    public TokenBucket(double perSecond, int burst, LongSupplier nanoClock) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
        this.closedUntil = refilledAt;
    }

    /** No limit at all, only the downstream's own hold-offs. */
    public static TokenBucket unlimited(LongSupplier nanoClock) {
        return new TokenBucket(Double.POSITIVE_INFINITY, 1, nanoClock);
    }

    public synchronized boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        if (now - closedUntil < 0) {
            return false;
        }
        if (Double.isInfinite(perNano)) {
            return true;
        }
        tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** The downstream asked us to wait: refuse every call for {@code wait}. */
    public synchronized void holdOff(Duration wait) {
        long until = nanoClock.getAsLong() + wait.toNanos();
        if (until - closedUntil > 0) {
            closedUntil = until;
        }
        tokens = 0;
    }
}
