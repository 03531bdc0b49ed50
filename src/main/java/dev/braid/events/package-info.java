/**
 * Event ingestion ({@code POST /v1/events}): the event model, the validation of a batch (all of it or nothing), and
 * the effects a valid batch has on the signals other parts read (cache generations, purchases, affinities, trending).
 * The store sits behind {@link dev.braid.events.EventSink}, which the Redis package implements; conversions go to the
 * experiments through their {@code Attribution} hook. Imports {@code catalog}, {@code experiments}, {@code observe}
 * and {@code resilience}; never a vendor client.
 */
package dev.braid.events;
