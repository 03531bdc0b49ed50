/**
 * Inbound rate limits: per caller and endpoint class, GCRA, counted in one shared store so that every replica sees the
 * same count, and a bounded local fallback while the store cannot answer. Imports {@code config} and {@code observe};
 * the store itself is an interface implemented in {@code redis}.
 */
package dev.braid.ratelimit;
