/**
 * A/B experiments: their configuration ({@code config/experiments.yaml}) with typed, bounded parameter overrides per
 * variant, the deterministic assignment of a user (or anonymous visitor) to a variant, sealed recommendation ids that
 * carry the assignment, the unit served and the items shown, so that conversions are attributed from the id alone and
 * only for what Braid served to that user, and the exposure log written off the request path. Imports {@code config},
 * {@code observe}, {@code token}, Helidon Config and Caffeine; the Redis sink implements {@link
 * dev.braid.experiments.ExposureSink}, and the recommendation pipeline applies the {@link
 * dev.braid.experiments.VariantParams} it is handed.
 */
package dev.braid.experiments;
