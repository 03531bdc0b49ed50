/**
 * Typed, immutable configuration: one record per area, read through {@link dev.braid.config.Settings} and validated in
 * its compact constructor, so a bad value stops start-up with the key and the rule; the effective configuration for
 * {@code /admin/config}, with secrets redacted. A leaf: Imports nothing of Braid's, only Helidon Config, and every
 * other package may read its records.
 */
package dev.braid.config;
