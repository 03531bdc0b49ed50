package dev.braid.ratelimit;

/**
 * What the limiter decided for one request, in the terms of the RateLimit header fields.
 *
 * @param allowed    whether the request may go on
 * @param quota      the policy's quota ({@code q})
 * @param window     the policy's window in seconds ({@code w})
 * @param remaining  requests the caller may still make now ({@code r})
 * @param resetAfter seconds until the caller has its whole quota again, or, when refused, until its next request is
 *                   allowed ({@code t}; {@code Retry-After} on a 429)
 */
public record RateDecision(boolean allowed, int quota, long window, long remaining, long resetAfter) {
}
