/**
 * Databricks Model Serving as a candidate source: one {@code invocations} call per request to a serving endpoint whose
 * model ranks items for a user, signed in with a personal access token or as a service principal (OAuth client
 * credentials, its tokens cached and refreshed here). Imports {@code config}, {@code recommend}, {@code
 * recommend.source} (its pooled HTTP client), {@code resilience}, Jackson and httpclient5.
 */
package dev.braid.recommend.source.databricks;
