/**
 * Singleton jobs: periodic work that runs on every replica's scheduler but does its work only on the replica holding
 * the job's lease (an owner token with a time to live, renewed while the holder lives). Each grant carries a fencing
 * token, and a job's writes go through its store only if their token is not older than the last one accepted, so a
 * holder that paused past its lease cannot overwrite its successor's result. The lease and result stores are
 * interfaces the Redis package implements. Imports {@code config} and {@code observe}.
 */
package dev.braid.jobs;
