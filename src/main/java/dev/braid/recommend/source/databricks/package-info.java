/**
 * Databricks Model Serving as a candidate source: one {@code invocations} call per request to a serving endpoint whose
 * model ranks items for a user. Imports {@code recommend}, {@code config}, the shared {@code PooledHttpClient}, Jackson
 * and httpclient5; nothing outside the composition root names it.
 */
package dev.braid.recommend.source.databricks;
