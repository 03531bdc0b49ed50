/**
 * Jedis wiring (standalone or cluster, TLS and ACL sign-in in both, a refusal told apart from an outage, dead
 * connections dropped at once) and the Redis-backed parts of the domain: a user's recent history, affinities and
 * signals, the cache's shared tier, the effects of events with their idempotency
 * records, the experiments' exposure log and catalog coverage, the shared rate-limit count, and singleton jobs' leases
 * and fenced results (Lua scripts kept as resources under {@code redis/}). Redis is an optimization for reads, so their
 * failures turn into empty answers; a write the caller must know about (an event batch) fails with the domain's own
 * exception instead. Imports {@code cache}, {@code config}, {@code events}, {@code experiments}, {@code jobs}, {@code
 * observe}, {@code ratelimit}, {@code recommend}, {@code search} (the interfaces it implements), Jedis, Jackson and
 * Helidon metrics.
 */
package dev.braid.redis;
