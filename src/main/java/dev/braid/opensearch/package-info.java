/**
 * How Braid talks to OpenSearch, whoever asks: calls bounded by the time left (through the async client, the only one
 * whose exchanges can be given up), each a client span carrying the request's trace context, and failures sorted into
 * what a retry may fix and what it will not. Imports {@code observe} (spans), opensearch-java and httpclient5.
 */
package dev.braid.opensearch;
