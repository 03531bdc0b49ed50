package dev.braid.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Each caller's share of one guard: how many calls it may have in flight at once, and a breaker of its own that opens
 * after a run of its failures. A caller over its share, or behind its open breaker, is refused at once and alone; its
 * calls then never reach the shared breaker, so no single caller's load or bad luck can open that for everybody.
 * Bounded: at most {@code maxCallers} are remembered, each forgotten a while after its last call.
 */
final class CallerShares {
    /** Enough for every caller active within a few seconds on one replica; the least recent are forgotten first. */
    private static final int MAX_CALLERS = 50_000;

    /** Why a caller's call was refused before it started. */
    enum Refusal {
        OVER_SHARE, CALLER_OPEN
    }

    static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    private final int perCaller;
    private final int failuresToOpen;
    private final long openForNanos;
    private final LongSupplier nanoTime;
    private final Cache<String, Share> shares;

    CallerShares(GuardConfig config, LongSupplier nanoTime) {
        this.perCaller = config.bulkhead().perCaller();
        this.failuresToOpen = config.breaker().callerFailures();
        this.openForNanos = config.breaker().openFor().toNanos();
        this.nanoTime = nanoTime;
        Duration remembered = config.breaker().openFor().multipliedBy(2).plusSeconds(10);
        this.shares = Caffeine.newBuilder().maximumSize(MAX_CALLERS).expireAfterAccess(remembered).build();
    }

    /**
     * Takes one of {@code caller}'s slots.
     *
     * @throws RefusedException when the caller is at its share or behind its own open breaker
     */
    Share enter(String caller) {
        Share share = shares.get(caller, key -> new Share());
        share.enter();
        return share;
    }

    /** One caller's slots and failures; the caller reports each call's end once. */
    final class Share {
        private int inFlight;
        private int consecutiveFailures;
        private long openedAt;
        private boolean open;

        private synchronized void enter() {
            if (open) {
                if (nanoTime.getAsLong() - openedAt < openForNanos) {
                    throw new RefusedException(Refusal.CALLER_OPEN);
                }
                // Past open-for: let calls through again; the next failure reopens it at once.
                open = false;
                consecutiveFailures = Math.max(0, failuresToOpen - 1);
            }
            if (perCaller > 0 && inFlight >= perCaller) {
                throw new RefusedException(Refusal.OVER_SHARE);
            }
            inFlight++;
        }

        /** The call succeeded, or failed in a way that says nothing about the downstream's health. */
        synchronized void succeeded() {
            inFlight--;
            consecutiveFailures = 0;
        }

        /** The call failed in a way that counts against the downstream (a timeout, a 5xx, a broken connection). */
        synchronized void failed() {
            inFlight--;
            if (failuresToOpen > 0 && ++consecutiveFailures >= failuresToOpen && !open) {
                open = true;
                openedAt = nanoTime.getAsLong();
            }
        }

        /** The call ended without saying anything (refused by the shared guard): it frees its slot only. */
        synchronized void released() {
            inFlight--;
        }
    }
}
