package dev.braid.ratelimit;

/** Quotas counted in one store that every replica shares (Redis): each call anywhere takes from the same count. */
public interface SharedQuotas {

    /**
     * Takes one call from the quota {@code name}, if it allows one now.
     *
     * @throws RateLimiter.SharedCountUnavailableException when the shared count cannot be read or written now
     */
    boolean tryTake(String name, Rate rate);

    /**
     * How many calls the quota {@code name} would allow at once now, fleet-wide: its burst when unused.
     *
     * @throws RateLimiter.SharedCountUnavailableException when the shared count cannot be read now
     */
    long available(String name, Rate rate);
}
