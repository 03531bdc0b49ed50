/**
 * The recommendation domain: requests, candidates, the {@link dev.braid.recommend.CandidateSource} interface, surface
 * plans and the pipeline that answers a request. Imports {@code resilience}, {@code observe}, {@code config} records and
 * its own sub-packages; never an SDK or HTTP type.
 */
package dev.braid.recommend;
