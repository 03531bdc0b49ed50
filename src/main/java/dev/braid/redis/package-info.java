/**
 * Jedis wiring (standalone or cluster) and the Redis-backed parts of the domain, such as a user's recent history.
 * Imports Jedis, Jackson, {@code config} and the domain interfaces it implements; Redis is an optimization here, so its
 * failures turn into empty answers, never into exceptions for the caller.
 */
package dev.braid.redis;
