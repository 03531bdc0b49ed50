package dev.braid.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;

import dev.braid.ratelimit.Gcra;
import dev.braid.ratelimit.RateDecision;
import dev.braid.ratelimit.RateLimitConfig;
import dev.braid.ratelimit.RateLimiter;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The fleet-wide rate-limit count: one atomic script call per request ({@code redis/gcra.lua}), keyed by endpoint class
 * and caller, on Redis's clock. EVALSHA keeps the script off the wire; after a Redis restart (NOSCRIPT) EVAL sends it
 * once and caches it again. A failing Redis is cut off by its own breaker, so a dead Redis costs no timeout per request.
 */
public final class RedisRateLimiter implements RateLimiter {
    static final String SCRIPT = RedisSharedStore.resource("redis/gcra.lua");
    private static final String SHA = sha1(SCRIPT);

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
