/**
 * Event ingestion ({@code POST /v1/events}): the event model, the validation of a batch (all of it or nothing), the
 * effects a valid batch has on the signals other parts read (cache generations, purchases, affinities, trending), and
 * idempotency keys: a key is claimed, and a batch's effects commit together with its record, so that every batch takes
 * effect once. The store sits behind {@link dev.braid.events.EventSink}, which the Redis package implements;
 * conversions go to the experiments through their {@code Attribution} hook. Imports {@code catalog}, {@code config},
 * {@code experiments}, {@code observe} and {@code resilience}; never a vendor client.
 */
package dev.braid.events;
