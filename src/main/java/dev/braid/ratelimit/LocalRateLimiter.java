package dev.braid.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * GCRA in this replica's memory, for the time the shared count is out of reach. Bounded: at most {@code maxCallers}
 * callers are tracked, each forgotten a window after its last request (when its TAT is in the past anyway).
 */
public final class LocalRateLimiter implements RateLimiter {
    private final RateLimitConfig config;
    private final int shareOf;
    private final LongSupplier micros;
    private final Cache<String, long[]> tats;

    /**
     * @param shareOf how many replicas share each quota: this one allows quota / shareOf
     * @param micros  the clock, in microseconds
     */
    public LocalRateLimiter(RateLimitConfig config, int shareOf, int maxCallers, LongSupplier micros) {
        this.config = config;
        this.shareOf = shareOf;
        this.micros = micros;
        Duration longest = config.classes().values().stream().map(RateLimitConfig.Quota::window)
                .max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        this.tats = Caffeine.newBuilder().maximumSize(maxCallers).expireAfterAccess(longest).build();
    }

    @Override
    public RateDecision decide(String endpointClass, String caller) {
        RateLimitConfig.Quota quota = config.quota(endpointClass).perReplica(shareOf);
        long[] tat = tats.get(endpointClass + "\u001f" + caller, key -> new long[1]);
        synchronized (tat) {
            Gcra.Step step = Gcra.step(tat[0], micros.getAsLong(), quota);
            tat[0] = step.tatMicros();
            return step.decision();
        }
    }
}
