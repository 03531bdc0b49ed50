/**
 * Catalog item metadata: the {@link dev.braid.catalog.Catalog} interface the pipeline and the items endpoint use, and
 * its OpenSearch implementation in a sub-package. Imports {@code resilience}, {@code config}; the sub-package imports
 * opensearch-java.
 */
package dev.braid.catalog;
