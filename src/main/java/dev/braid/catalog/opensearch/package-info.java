/** The catalog in OpenSearch, read through an alias. Imports {@code catalog} and opensearch-java. */
package dev.braid.catalog.opensearch;
