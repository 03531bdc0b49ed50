package dev.braid.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;

/**
 * A downstream's quota for the whole fleet (Personalize's TPS per campaign, Databricks' QPS per workspace): every call
 * of every replica takes from one shared count, so twenty replicas with a quota of 20 calls a second send 20, not 400.
 * While the shared count cannot be read, this replica allows its own share, {@code rate / replicas} (fail-open, but
 * bounded: the fleet stays near the quota), counted as a fallback. A call the quota refuses never reaches the
 * downstream; its caller reports it as {@code rate_limited}.
 */
public final class FleetQuota {
    private static final Logger LOG = Logger.getLogger(FleetQuota.class.getName());

    private final String name;
    private final Rate rate;
    private final Rate share;
    private final int replicas;
    private final SharedQuotas shared;
    private final BraidMeters meters;
    private final LongSupplier micros;
    private final ThrottledLog unavailable = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private long localTat;
    private volatile boolean lastShared;

    /**
     * @param replicas how many replicas share the quota ({@code rate-limits.replicas}): each one's share while the
     *                 shared count is out of reach
     * @param shared   the shared count, or {@code null} (no Redis): this replica's share, for good
     * @param micros   the clock of the local share, in microseconds
     */
    public FleetQuota(String name, Rate rate, int replicas, SharedQuotas shared, BraidMeters meters, LongSupplier micros) {
        this.name = name;
        this.rate = rate;
        this.share = rate.perReplica(replicas);
        this.replicas = replicas;
        this.shared = shared;
        this.meters = meters;
        this.micros = micros;
        this.lastShared = shared != null;
        meters.registerQuota(name);
    }

    /** Whether one more call may go now; takes it from the count when it may. */
    public boolean tryAcquire() {
        boolean allowed;
        if (shared == null) {
            meters.quotaFallback(name);
            allowed = local();
        } else {
            try {
                allowed = shared.tryTake(name, rate);
                lastShared = true;
            } catch (RateLimiter.SharedCountUnavailableException e) {
                unavailable.warn(name + ": the fleet-wide quota cannot be read, allowing this replica's share ("
                                 + share.perSecond() + "/s): " + e.getMessage(), null);
                meters.quotaFallback(name);
                lastShared = false;
                allowed = local();
            }
        }
        meters.quota(name, allowed);
        return allowed;
    }

    /** GCRA over this replica's share, in memory. */
    private synchronized boolean local() {
        long now = micros.getAsLong();
        long tat = Math.max(localTat, now);
        long next = tat + share.intervalMicros();
        if (next - now > share.windowMicros()) {
            return false;
        }
        localTat = next;
        return true;
    }

    /**
     * What {@code /admin/quotas} shows: the quota, each replica's share while Redis is out of reach, whether this
     * replica's last decision was counted fleet-wide, and how many calls the fleet could send at once right now.
     */
    public record Snapshot(String name, double perSecond, int burst, int replicas, double fallbackPerSecond,
                           String countedBy, Long fleetAvailableNow) {
    }

    public Snapshot snapshot() {
        Long available = null;
        if (shared != null) {
            try {
                available = shared.available(name, rate);
            } catch (RateLimiter.SharedCountUnavailableException e) {
                // unknown: shown as null
            }
        }
        return new Snapshot(name, rate.perSecond(), rate.burst(), replicas, share.perSecond(),
                            lastShared ? "fleet" : "replica", available);
    }
}
