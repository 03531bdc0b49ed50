/**
 * How Braid talks to OpenSearch, whoever asks: calls bounded by the time left (through the async client, the only one
 * whose exchanges can be given up), each a client span carrying the request's trace context, every request signed with
 * AWS SigV4 when the cluster is Amazon OpenSearch Service or Serverless, and failures sorted into what a retry may fix
 * and what it will not. Imports {@code observe} (spans), opensearch-java, httpclient5 and the AWS SDK's signer and
 * credentials.
 */
package dev.braid.opensearch;
