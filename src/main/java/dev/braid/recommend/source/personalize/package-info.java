/**
 * AWS Personalize as a candidate source and a re-ranker, through the AWS SDK v2's blocking client on its Apache HTTP
 * client. Imports {@code recommend}, {@code config}, {@code resilience} and the SDK.
 */
package dev.braid.recommend.source.personalize;
