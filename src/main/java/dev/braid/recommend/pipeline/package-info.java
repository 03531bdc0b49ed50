/**
 * Making and serving a list: {@link dev.braid.recommend.pipeline.RecommendationPipeline} (cache, cursors, pages,
 * exposures), {@link dev.braid.recommend.pipeline.ListMaker} (signals, cold-start tier, fan-out, blend, hydration, re-
 * ranking, default ranking), the guarded sources, cache keys and list codecs, and the popular items (a singleton job's
 * result). Imports {@code cache}, {@code catalog}, {@code experiments}, {@code jobs}, {@code observe}, {@code
 * recommend}, {@code recommend.blend}, {@code recommend.fanout}, {@code resilience}, {@code token} and Jackson.
 */
package dev.braid.recommend.pipeline;
