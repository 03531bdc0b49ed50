/**
 * How Braid talks to OpenSearch, whoever asks: calls bounded by the time left (through the async client, the only one
 * whose exchanges can be given up) and failures sorted into what a retry may fix and what it will not. Imports nothing
 * of Braid's: opensearch-java and httpclient5 only.
 */
package dev.braid.opensearch;
