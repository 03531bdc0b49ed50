/**
 * The fan-out: candidate sources called in parallel under one deadline ({@code StructuredTaskScope}, preview in JDK 25,
 * used nowhere else). Imports {@code recommend} and {@code observe}.
 */
package dev.braid.recommend.fanout;
