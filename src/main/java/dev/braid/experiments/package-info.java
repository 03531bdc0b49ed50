/**
 * A/B experiments: their configuration ({@code config/experiments.yaml}) with typed, bounded parameter overrides per
 * variant, the deterministic assignment of a user (or anonymous visitor) to a variant, recommendation ids that carry the
 * assignment so that conversions are attributed from the id alone, and the exposure log written off the request path.
 * Imports {@code config} and {@code observe} only; the Redis sink implements {@link dev.braid.experiments.ExposureSink}
 * in {@code redis}, and the pipeline applies the {@link dev.braid.experiments.VariantParams} it is handed.
 */
package dev.braid.experiments;
