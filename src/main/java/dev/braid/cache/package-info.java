/**
 * The two-tier cache: Caffeine in each replica (L1) over a store shared by all replicas (L2, Redis), with soft and
 * hard expiry, stale-while-revalidate, one origin call per key between replicas, and stale answers when the origin
 * fails. Redis is an optimization: every failure of the shared tier is a miss; the shared tier sits behind {@link
 * dev.braid.cache.SharedStore}, which the Redis package implements. Imports {@code config}, {@code observe} and
 * Caffeine.
 */
package dev.braid.cache;
