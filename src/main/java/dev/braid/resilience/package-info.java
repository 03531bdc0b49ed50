/**
 * Protection of downstream calls: request deadlines now; the per-source {@code DownstreamPolicy} (Helidon fault
 * tolerance: timeout, retry, circuit breaker, bulkhead, rate limit) builds on them. Imports Helidon FT only.
 */
package dev.braid.resilience;
