/**
 * Catalog item metadata: the {@link dev.braid.catalog.Catalog} interface the pipeline and the items endpoint use, its
 * cached decorator, and (in a sub-package) its OpenSearch implementation. Imports {@code cache}, {@code config},
 * {@code resilience} and Jackson.
 */
package dev.braid.catalog;
