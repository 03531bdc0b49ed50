package dev.braid.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;

import dev.braid.ratelimit.Gcra;
import dev.braid.ratelimit.Rate;
import dev.braid.ratelimit.RateDecision;
import dev.braid.ratelimit.RateLimitConfig;
import dev.braid.ratelimit.RateLimiter;
import dev.braid.ratelimit.SharedQuotas;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The fleet-wide rate-limit count: one atomic script call per request ({@code redis/gcra.lua}), keyed by endpoint class
 * and caller ({@code rl:<class>:<caller>}), on Redis's clock; and the same count for the downstreams' fleet-wide quotas,
 * one call per downstream call ({@code quota:<source>}). EVALSHA keeps the script off the wire; after a Redis restart (NOSCRIPT) EVAL sends it
 * once and caches it again. A failing Redis is cut off by its own breaker, so a dead Redis costs no timeout per request.
 */
public final class RedisRateLimiter implements RateLimiter, SharedQuotas {
    static final String SCRIPT = RedisSharedStore.resource("redis/gcra.lua");
    private static final String SHA = sha1(SCRIPT);
    private static final LuaScript PEEK = LuaScript.load("redis/gcra-peek.lua");

    private final UnifiedJedis redis;
    private final RateLimitConfig config;
    private final StoreBreaker breaker;

    public RedisRateLimiter(UnifiedJedis redis, RateLimitConfig config, RedisConfig.Breaker breaker, LongSupplier nanoTime) {
        this.redis = redis;
        this.config = config;
        this.breaker = new StoreBreaker(breaker, nanoTime);
    }

    @Override
    public RateDecision decide(String endpointClass, String caller) {
        RateLimitConfig.Quota quota = config.quota(endpointClass);
        if (!breaker.tryAcquire()) {
            throw new SharedCountUnavailableException("its breaker is open", null);
        }
        long window = quota.window().toNanos() / 1_000;
        List<String> keys = List.of("rl:" + endpointClass + ":" + caller);
        List<String> args = List.of(Long.toString(window / quota.quota()), Long.toString(window));
        List<?> result;
        try {
            result = (List<?>) run(keys, args);
            breaker.onSuccess();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || RedisSharedStore.poolExhausted(e)) {
                // Neither says anything about Redis: a cancelled caller, or more callers than pooled connections.
                breaker.abandon();
            } else {
                breaker.onFailure();
            }
            throw new SharedCountUnavailableException(e.toString(), e);
        }
        boolean allowed = ((Long) result.get(0)) == 1L;
        return Gcra.decision(allowed, quota, (Long) result.get(1), (Long) result.get(2));
    }

    /** The key of a downstream's fleet-wide quota. */
    public static String quotaKey(String name) {
        return "quota:" + name;
    }

    @Override
    public boolean tryTake(String name, Rate rate) {
        List<?> result = (List<?>) guarded(() -> run(List.of(quotaKey(name)), List.of(
                Long.toString(rate.intervalMicros()), Long.toString(rate.windowMicros()))));
        return ((Long) result.getFirst()) == 1L;
    }

    @Override
    public long available(String name, Rate rate) {
        return (Long) guarded(() -> PEEK.run(redis, List.of(quotaKey(name)), List.of(
                Long.toString(rate.intervalMicros()), Long.toString(rate.windowMicros()))));
    }

    /** One call behind the breaker; any failure is the shared count's unavailability. */
    private Object guarded(java.util.function.Supplier<Object> call) {
        if (!breaker.tryAcquire()) {
            throw new SharedCountUnavailableException("its breaker is open", null);
        }
        try {
            Object result = call.get();
            breaker.onSuccess();
            return result;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || RedisSharedStore.poolExhausted(e)) {
                breaker.abandon();
            } else {
                breaker.onFailure();
            }
            throw new SharedCountUnavailableException(e.toString(), e);
        }
    }

    private Object run(List<String> keys, List<String> args) {
        try {
            return redis.evalsha(SHA, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(SCRIPT, keys, args);
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                                                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
