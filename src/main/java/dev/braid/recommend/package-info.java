/**
 * The recommendation model, a leaf under the packages that make lists: requests, candidates, surface plans and their
 * blend settings, source kinds and configs, and the {@link dev.braid.recommend.CandidateSource} interface every
 * downstream implements. Imports {@code catalog}, {@code config} and {@code resilience}; never an SDK or HTTP type.
 */
package dev.braid.recommend;
