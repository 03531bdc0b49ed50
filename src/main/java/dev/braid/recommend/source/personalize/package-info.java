/**
 * AWS Personalize as a candidate source and a re-ranker, through the AWS SDK v2's blocking client on its Apache 5 HTTP
 * client, with the default credentials chain (web identity through STS for IRSA). The source, the re-ranker, the
 * client factory, the SDK failure classification and the interceptor that makes each call a span and sends its trace
 * context are classes of their own. Imports {@code config}, {@code observe}, {@code recommend}, {@code resilience},
 * the SDK and httpclient5 (the SDK client's exceptions).
 */
package dev.braid.recommend.source.personalize;
