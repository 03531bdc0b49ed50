/**
 * Search and feeds on OpenSearch: queries, and the reindex command that loads a new versioned index and swaps the
 * catalog alias. Imports {@code catalog}, {@code config}, {@code opensearch}, {@code resilience}, {@code search},
 * {@code token}, opensearch-java and Jackson.
 */
package dev.braid.search.opensearch;
