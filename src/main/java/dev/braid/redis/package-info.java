/**
 * Jedis wiring (standalone or cluster) and the Redis-backed parts of the domain: a user's recent history, affinities
 * and signals (history, top categories and purchases in one round trip), the cache's shared tier
 * ({@link dev.braid.redis.RedisSharedStore}, Lua scripts kept as resources under {@code redis/}), the effects of
 * events, and the experiments' exposure log and catalog coverage. Imports Jedis, Jackson, {@code config},
 * {@code observe} and the domain interfaces it implements. Redis is an optimization for reads, so their failures turn
 * into empty answers; a write the caller must know about (an event batch) fails with the domain's own exception instead.
 */
package dev.braid.redis;
