package dev.braid.cache;

/**
 * A cached answer and where it came from.
 *
 * @param originFailed the origin failed and a stale value was served instead ({@code degraded: "stale"})
 */
public record Lookup<V>(V value, CacheOutcome outcome, boolean originFailed) {
}
