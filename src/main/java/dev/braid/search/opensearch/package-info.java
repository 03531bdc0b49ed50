/**
 * Search and feeds on OpenSearch: queries, and the reindex command that loads a new versioned index and swaps the
 * catalog alias. Imports opensearch-java and the {@code search}, {@code catalog}, {@code config}, {@code resilience},
 * {@code observe} packages.
 */
package dev.braid.search.opensearch;
