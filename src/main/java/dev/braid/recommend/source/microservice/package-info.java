/**
 * Internal HTTP candidate services (trending, editorial, ...) behind Braid's plain JSON protocol. Imports
 * {@code recommend}, the shared {@code PooledHttpClient}, Jackson and httpclient5.
 */
package dev.braid.recommend.source.microservice;
