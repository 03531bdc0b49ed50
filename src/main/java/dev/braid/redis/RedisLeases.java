package dev.braid.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.braid.jobs.JobResults;
import dev.braid.jobs.Leases;

import redis.clients.jedis.UnifiedJedis;

/**
 * Singleton jobs' leases and results in Redis. Every key of a job carries the job as a hash tag ({@code jobs:{JOB}:...}),
 * so each script's keys share one cluster slot:
 *
 * <ul>
 *   <li>{@code jobs:{JOB}:lease}: a hash {owner, fence} with the lease's time to live ({@code redis/lease-acquire.lua},
 *       renewed and released only by its owner: {@code lease-renew.lua}, {@code lease-release.lua});</li>
 *   <li>{@code jobs:{JOB}:fences}: the fencing counter ({@code INCR} per grant); {@code jobs:{JOB}:last-owner}: whom the
 *       job was granted to last;</li>
 *   <li>{@code jobs:{JOB}:result}: the latest result, a hash {value, at, fence}, written by {@code fenced-publish.lua}
 *       only if its token is not older than {@code jobs:{JOB}:accepted}.</li>
 * </ul>
 */
public final class RedisLeases implements Leases, JobResults {
    static final LuaScript ACQUIRE = LuaScript.load("redis/lease-acquire.lua");
    static final LuaScript RENEW = LuaScript.load("redis/lease-renew.lua");
    static final LuaScript RELEASE = LuaScript.load("redis/lease-release.lua");
    static final LuaScript PUBLISH = LuaScript.load("redis/fenced-publish.lua");

    private final UnifiedJedis redis;

    public RedisLeases(UnifiedJedis redis) {
        this.redis = redis;
    }

    static String key(String job, String part) {
        return "jobs:{" + job + "}:" + part;
    }

    /** The lease's key: who holds the job ({@code owner}) under which token ({@code fence}). */
    public static String leaseKey(String job) {
        return key(job, "lease");
    }

    /** The job's latest result: {@code value}, {@code at}, {@code fence}. */
    public static String resultKey(String job) {
        return key(job, "result");
    }

    @Override
    public Attempt acquire(String job, String owner, Duration ttl) {
        List<?> reply = (List<?>) call(() -> ACQUIRE.run(redis, List.of(leaseKey(job), key(job, "fences"),
                                                                           key(job, "last-owner")),
                                                           List.of(owner, Long.toString(ttl.toMillis()))));
        if ((Long) reply.get(0) == 1L) {
            return new Granted(new Grant(job, owner, (Long) reply.get(1), String.valueOf(reply.get(2))));
        }
        return new Held(String.valueOf(reply.get(2)), Duration.ofMillis(Math.max(0, (Long) reply.get(1))));
    }

    @Override
    public boolean renew(Grant grant, Duration ttl) {
        Object reply = call(() -> RENEW.run(redis, List.of(leaseKey(grant.job())),
                                            List.of(grant.owner(), Long.toString(ttl.toMillis()))));
        return Long.valueOf(1).equals(reply);
    }

    @Override
    public void release(Grant grant) {
        try {
            RELEASE.run(redis, List.of(leaseKey(grant.job())), List.of(grant.owner()));
        } catch (RuntimeException e) {
            // The lease expires by itself.
        }
    }

    @Override
    public boolean publish(String job, long fence, String value, Duration keep) {
        Object reply = call(() -> PUBLISH.run(redis, List.of(key(job, "accepted"), resultKey(job)),
                                              List.of(Long.toString(fence), value, Long.toString(keep.toMillis()))));
        return Long.valueOf(1).equals(reply);
    }

    @Override
    public Optional<Published> latest(String job) {
        List<String> fields = call(() -> redis.hmget(resultKey(job), "value", "at", "fence"));
        if (fields.get(0) == null || fields.get(1) == null || fields.get(2) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Published(fields.get(0), Instant.ofEpochMilli(Long.parseLong(fields.get(1))),
                                             Long.parseLong(fields.get(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static <T> T call(java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new LeaseUnavailableException(e.toString(), e);
        }
    }
}
