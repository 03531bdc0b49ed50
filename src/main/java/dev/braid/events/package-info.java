/**
 * Event ingestion ({@code POST /v1/events}): the event model, the validation of a batch (all of it or nothing), and the
 * effects a valid batch has on the signals other parts read (cache generations, purchases, affinities, trending). The
 * store sits behind {@link dev.braid.events.EventSink}, implemented in {@code redis}; conversions go to the experiments
 * through their {@code Attribution} hook. Imports {@code catalog}, {@code experiments}, {@code resilience} and
 * {@code observe}; never a vendor client.
 */
package dev.braid.events;
