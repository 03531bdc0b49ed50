/**
 * The HTTP edge: services per endpoint, parameter parsing, problem+json, request context, cache headers, the admin
 * guard and the shutdown gate. Imports the domain packages, {@code observe} and {@code config}; never an SDK, Jedis or
 * OpenSearch type.
 */
package dev.braid.http;
