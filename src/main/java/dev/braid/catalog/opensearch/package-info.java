/**
 * The catalog in OpenSearch, read through an alias. Imports {@code catalog}, {@code config}, {@code opensearch},
 * {@code resilience}, opensearch-java and Jackson.
 */
package dev.braid.catalog.opensearch;
