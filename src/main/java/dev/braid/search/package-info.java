/**
 * Search and infinite feeds: the query model, signed cursors, and the pipelines that answer through degradation tiers
 * (full query, simplified query, cached or popular answers) so that a struggling OpenSearch never costs a 5xx. The
 * engine sits behind {@link dev.braid.search.SearchBackend}. Imports {@code catalog}, {@code resilience}, {@code observe},
 * {@code config}, Caffeine and Jackson; never a vendor client.
 */
package dev.braid.search;
