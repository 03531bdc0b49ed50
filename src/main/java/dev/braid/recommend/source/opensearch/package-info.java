/**
 * Content-based candidates from the catalog index in OpenSearch: items like the ones the user recently interacted with
 * ({@code more_like_this}), or the popular ones without a history. Imports {@code config}, {@code opensearch}, {@code
 * recommend}, {@code resilience} and opensearch-java.
 */
package dev.braid.recommend.source.opensearch;
