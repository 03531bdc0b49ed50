package dev.braid.ratelimit;

import java.time.Duration;
import java.util.logging.Logger;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;

/**
 * The fleet-wide count first; while it cannot be read, this replica's own share of each quota (quota / replicas):
 * fail-open, but bounded, and counted in {@link BraidMeters#RATE_LIMIT_FALLBACKS}. Decisions are counted per class.
 */
public final class SharedRateLimiter implements RateLimiter {
    private static final Logger LOG = Logger.getLogger(SharedRateLimiter.class.getName());

    private final RateLimiter shared;
    private final RateLimiter local;
    private final BraidMeters meters;
    private final ThrottledLog unavailable = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);

    public SharedRateLimiter(RateLimiter shared, RateLimiter local, BraidMeters meters) {
        this.shared = shared;
        this.local = local;
        this.meters = meters;
    }

    /**
     * For an instance that started without Redis (it said so at start-up): every decision is this replica's share,
     * counted as a fallback, without a warning per request.
     */
    public static SharedRateLimiter localOnly(RateLimiter local, BraidMeters meters) {
        return new SharedRateLimiter(null, local, meters);
    }

    @Override
    public RateDecision decide(String endpointClass, String caller) {
        RateDecision decision;
        try {
            if (shared == null) {
                meters.rateLimitFallback(endpointClass);
                decision = local.decide(endpointClass, caller);
            } else {
                decision = shared.decide(endpointClass, caller);
            }
        } catch (SharedCountUnavailableException e) {
            unavailable.warn("shared rate-limit count unavailable, limiting each caller to this replica's share: "
                             + e.getMessage(), null);
            meters.rateLimitFallback(endpointClass);
            decision = local.decide(endpointClass, caller);
        }
        meters.rateLimit(endpointClass, decision.allowed());
        return decision;
    }
}
