/**
 * Candidate sources, one sub-package per kind of downstream, plus the HTTP client they share. Each source imports
 * {@code recommend} and its own SDK; none is named outside its package except by the composition root.
 */
package dev.braid.recommend.source;
