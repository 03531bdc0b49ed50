/**
 * Jedis wiring (standalone or cluster) and the Redis-backed parts of the domain: a user's recent history and
 * affinities, and the cache's shared tier ({@link dev.braid.redis.RedisSharedStore}, Lua scripts kept as resources under
 * {@code redis/}). Imports Jedis, Jackson, {@code config}, {@code observe} and the domain interfaces it implements;
 * Redis is an optimization here, so its failures turn into empty answers, never into exceptions for the caller.
 */
package dev.braid.redis;
