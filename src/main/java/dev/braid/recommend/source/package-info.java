/**
 * Candidate sources, one sub-package per kind of downstream (each declaring its {@link
 * dev.braid.recommend.SourceKind}), plus the pooled HTTP client the HTTP kinds share. Imports {@code config}, {@code
 * observe}, {@code recommend}, {@code resilience} and httpclient5; nothing outside the composition root names a kind's
 * classes.
 */
package dev.braid.recommend.source;
