/**
 * Internal HTTP candidate services (trending, editorial, ...) behind Braid's plain JSON protocol. Imports {@code
 * config}, {@code recommend}, {@code recommend.source} (its pooled HTTP client), {@code resilience}, Jackson and
 * httpclient5.
 */
package dev.braid.recommend.source.microservice;
