/**
 * Observability shared by every layer: the request context ({@code ScopedValue}), W3C trace context, JFR event types,
 * meter names and their help, the log format and the periodic refresh loop. A leaf: Imports nothing of Braid's
 * (Helidon metrics and Micrometer only), so every package may use it.
 */
package dev.braid.observe;
