/**
 * The fan-out: candidate sources called in parallel under one deadline ({@code StructuredTaskScope}, preview in JDK
 * 25, used nowhere else), each outcome kept even when the deadline cuts the rest. Imports {@code observe}, {@code
 * recommend} and {@code resilience}.
 */
package dev.braid.recommend.fanout;
