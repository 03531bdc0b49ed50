/**
 * The two-tier cache: Caffeine in each replica (L1) over a store shared by all replicas (L2, Redis), with soft and
 * hard expiry, stale-while-revalidate, one origin call per key between replicas, and stale answers when the origin
 * fails. Redis is an optimization: every failure of the shared tier is a miss. Imports Caffeine, {@code observe},
 * {@code config}; the shared tier sits behind {@link dev.braid.cache.SharedStore}, implemented in {@code redis}.
 */
package dev.braid.cache;
