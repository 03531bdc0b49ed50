/**
 * The HTTP edge: services per endpoint, parameter parsing (one strict reader per kind of input), problem+json, request
 * context, cache headers, rate limits, the admin guard, the OpenAPI document and the shutdown gate. Imports {@code
 * cache}, {@code catalog}, {@code config}, {@code events}, {@code experiments}, {@code http.transport}, {@code
 * observe}, {@code ratelimit}, {@code recommend}, {@code recommend.pipeline}, {@code resilience}, {@code search},
 * {@code token}, Helidon's webserver and Jackson; never an SDK, Jedis or OpenSearch type.
 */
package dev.braid.http;
