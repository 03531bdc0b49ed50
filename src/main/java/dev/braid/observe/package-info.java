/**
 * Observability shared by every layer: the request context ({@code ScopedValue}), W3C trace context, JFR event types,
 * meter names and the log format. It imports nothing of Braid's, so every package may use it.
 */
package dev.braid.observe;
