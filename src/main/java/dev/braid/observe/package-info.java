/**
 * Observability shared by every layer: the request context ({@code ScopedValue}) and the notes a handler takes of its
 * answer, W3C trace context and spans (the OpenTelemetry SDK behind {@code Tracing}, {@code Spans} and
 * {@code TraceSpan}, so no other package touches it), the request meters, meter names and their help, JFR event types
 * and the recordings operators start, the log format and the periodic refresh loop. A leaf: Imports nothing of Braid's
 * (Helidon metrics, Micrometer, OpenTelemetry and the JDK's flight recorder only), so every package may use it.
 */
package dev.braid.observe;
