/**
 * Protection of downstream calls: request deadlines and the per-source {@code DownstreamPolicy} (Helidon fault
 * tolerance: rate limit, bulkhead, circuit breaker, retry, timeout, hedging, per-caller shares), with Retry-After
 * parsing. Imports {@code config}, {@code observe}, Helidon fault tolerance and Caffeine.
 */
package dev.braid.resilience;
