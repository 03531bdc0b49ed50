/**
 * Search and infinite feeds: the query model, sealed cursors, spelling (words as written first, typos forgiven only
 * when that finds next to nothing), and the pipelines that answer through degradation tiers (full query, simplified
 * query, cached or popular answers) so that a struggling OpenSearch never costs a 5xx. The engine sits behind {@link
 * dev.braid.search.SearchBackend}. Imports {@code catalog}, {@code config}, {@code observe}, {@code resilience},
 * {@code token} and Caffeine; never a vendor client.
 */
package dev.braid.search;
