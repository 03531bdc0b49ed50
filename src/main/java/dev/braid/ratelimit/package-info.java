/**
 * Inbound rate limits: per caller and endpoint class, GCRA, counted in one shared store so that every replica sees the
 * same count, and a bounded local fallback while the store cannot answer; the store itself is an interface the Redis
 * package implements. Imports {@code config}, {@code observe} and Caffeine.
 */
package dev.braid.ratelimit;
