/**
 * JMH micro-benchmarks of hot paths, run with {@code bin/jmh} (never by {@code mvn verify}: they are not tests). Each
 * benchmark builds realistic inputs in its setup and measures one step of a request.
 */
package dev.braid.bench;
