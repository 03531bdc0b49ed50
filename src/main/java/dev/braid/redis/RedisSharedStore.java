package dev.braid.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

import dev.braid.cache.LockAttempt;
import dev.braid.cache.SharedStore;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The cache's shared tier on Redis, standalone or cluster. Values are opaque bytes stored with {@code SET PX}; locks are
 * {@code SET NX PX} with a random owner token, released by a compare-and-delete script ({@code redis/unlock.lua});
 * generations are {@code INCR gen:{USER}} counters that expire 30 days after their last bump.
 *
 * <p>Nothing throws. Every failure is counted ({@code braid.cache.store.errors{operation}}), logged at most once per
 * interval and answered like an empty store: a miss, {@link LockAttempt.Unavailable}, generation 0, a dropped write.
 * A small {@link StoreBreaker} in front of every call makes a dead Redis cost nothing: after a few failures in a row
 * calls are refused without touching the network ({@code braid.cache.store.short_circuits{operation}}) until a probe
 * finds Redis back. A key holding something unexpected (another type, a non-numeric generation) is that key's miss,
 * not a sign that Redis is down, so it does not count toward the breaker.
 */
public final class RedisSharedStore implements SharedStore {
    private static final Logger LOG = Logger.getLogger(RedisSharedStore.class.getName());
    /** A user's generation outlives any cached entry keyed with it; a user idle this long starts again from 0. */
    static final Duration GENERATION_TTL = Duration.ofDays(30);
    /**
     * Sent with EVAL on every unlock rather than loaded once and called with EVALSHA: it is a hundred bytes, sent once
     * per revalidation (not per request), and EVAL cannot meet NOSCRIPT, which EVALSHA would after every Redis restart
     * or failover and on every cluster node that has not seen it yet: one code path, nothing to re-load.
     */
    static final String UNLOCK_SCRIPT = resource("redis/unlock.lua");

    private final UnifiedJedis redis;
    private final boolean cluster;
    private final BraidMeters meters;
    private final StoreBreaker breaker;
    private final ThrottledLog failures;
    /** Separate, so that a stray key's line cannot hide a Redis outage's for an interval, nor the other way round. */
    private final ThrottledLog badValues;

    public RedisSharedStore(UnifiedJedis redis, RedisConfig config, BraidMeters meters) {
        this(redis, config, meters, System::nanoTime);
    }

    /** @param nanoTime the breaker's and the throttled log's clock ({@link System#nanoTime()} outside tests) */
    public RedisSharedStore(UnifiedJedis redis, RedisConfig config, BraidMeters meters, LongSupplier nanoTime) {
        this.redis = redis;
        this.cluster = config.cluster();
        this.meters = meters;
        this.breaker = new StoreBreaker(config.breaker(), nanoTime);
        this.failures = new ThrottledLog(LOG, Duration.ofSeconds(30), nanoTime);
        this.badValues = new ThrottledLog(LOG, Duration.ofSeconds(30), nanoTime);
        meters.storeBreakerState(() -> breaker.state().wireName());
    }

    /**
     * The Redis key of a user's generation, {@code gen:{USER}}: the braces are a cluster hash tag, so the user's other
     * keys in the same tag live on the same node. Whoever bumps a generation (the events endpoint, in its own pipeline)
     * uses this key, and refreshes its expiry to {@link #GENERATION_TTL} as {@link #bumpGeneration} does.
     */
    public static String generationKey(String user) {
        return "gen:{" + user + "}";
    }

    /** How long a generation key lives after its last bump. */
    public static Duration generationTtl() {
        return GENERATION_TTL;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return call("get", () -> Optional.ofNullable(redis.get(bytes(key))), Optional.empty());
    }

    @Override
    public Map<String, byte[]> getAll(List<String> keys) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(keys));
        if (distinct.isEmpty()) {
            return Map.of();
        }
        // MGET is one command; in a cluster it is refused (CROSSSLOT) unless every key shares a slot, so there the GETs
        // go in one pipeline: one round trip per node, the nodes' in parallel as far as the client goes.
        return call("get_all", () -> cluster ? pipelinedGets(distinct) : mget(distinct), Map.of());
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        if (!ttl.isPositive()) {
            return; // expired already: storing it would only be read as a miss
        }
        call("put", () -> redis.set(bytes(key), value, SetParams.setParams().px(millis(ttl))), null);
    }

    @Override
    public void putAll(Map<String, byte[]> values, Map<String, Duration> ttls) {
        if (values.isEmpty()) {
            return;
        }
        call("put_all", () -> {
            try (AbstractPipeline pipeline = redis.pipelined()) {
                values.forEach((key, value) -> {
                    Duration ttl = ttls.get(key);
                    if (ttl != null && ttl.isPositive()) {
                        pipeline.set(bytes(key), value, SetParams.setParams().px(millis(ttl)));
                    }
                });
                pipeline.sync();
            }
            return null;
        }, null);
    }

    /** A ttl under a millisecond is taken as one millisecond (Redis's unit). */
    @Override
    public LockAttempt tryLock(String lockKey, Duration ttl) {
        String token = UUID.randomUUID().toString();
        return call("lock", () -> "OK".equals(redis.set(lockKey, token, SetParams.setParams().nx().px(millis(ttl))))
                                  ? new LockAttempt.Won(token) : new LockAttempt.Held(),
                    new LockAttempt.Unavailable());
    }

    /**
     * Runs even on an interrupted thread (a cancelled revalidation releasing its lock in a {@code finally}): a virtual
     * thread's socket I/O would fail at once with the interrupt pending, and the lock would be held until its ttl. The
     * call is bounded by the socket timeout; the interrupt is restored after it.
     */
    @Override
    public void unlock(String lockKey, String token) {
        boolean interrupted = Thread.interrupted();
        try {
            call("unlock", () -> redis.eval(UNLOCK_SCRIPT, List.of(lockKey), List.of(token)), null);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public OptionalLong generation(String user) {
        return call("generation", () -> {
            String value = redis.get(generationKey(user));
            if (value == null) {
                return OptionalLong.of(0);
            }
            try {
                return OptionalLong.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                // Unknown, not 0: the next bump heals the key (see bumpGeneration).
                unexpectedValue("generation", generationKey(user) + " is not a number");
                return OptionalLong.empty();
            }
        }, OptionalLong.empty());
    }

    /**
     * {@code INCR} and {@code EXPIRE} in one round trip. A key that INCR refuses (not a number, another type) reads as
     * generation 0, so it is replaced by 1: the bump still moves every reader to a new generation, and the key heals
     * instead of blocking this user's invalidations until someone deletes it.
     */
    @Override
    public boolean bumpGeneration(String user) {
        String key = generationKey(user);
        return call("bump_generation", () -> {
            Response<Long> incremented;
            try (AbstractPipeline pipeline = redis.pipelined()) {
                incremented = pipeline.incr(key);
                pipeline.expire(key, GENERATION_TTL.toSeconds());
                pipeline.sync();
            }
            try {
                incremented.get();
            } catch (JedisDataException e) {
                if (!unexpectedValue(e)) {
                    throw e;
                }
                unexpectedValue("bump_generation", key + " could not be incremented (" + e.getMessage() + "); reset to 1");
                redis.set(key, "1", SetParams.setParams().ex(GENERATION_TTL.toSeconds()));
            }
            return true;
        }, false);
    }

    /** The breaker's state for {@code /admin/breakers}: {@code closed}, {@code half_open} or {@code open}. */
    public String breakerState() {
        return breaker.state().wireName();
    }

    private Map<String, byte[]> mget(List<String> keys) {
        byte[][] raw = new byte[keys.size()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = bytes(keys.get(i));
        }
        List<byte[]> values = redis.mget(raw);
        Map<String, byte[]> found = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            // MGET answers nil for a key of another type: a miss like an absent one.
            if (values.get(i) != null) {
                found.put(keys.get(i), values.get(i));
            }
        }
        return found;
    }

    private Map<String, byte[]> pipelinedGets(List<String> keys) {
        List<Response<byte[]>> responses = new ArrayList<>(keys.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            keys.forEach(key -> responses.add(pipeline.get(bytes(key))));
            pipeline.sync();
        }
        Map<String, byte[]> found = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            try {
                byte[] value = responses.get(i).get();
                if (value != null) {
                    found.put(keys.get(i), value);
                }
            } catch (JedisDataException e) {
                if (!unexpectedValue(e)) {
                    throw e;
                }
                unexpectedValue("get_all", keys.get(i) + ": " + e.getMessage());
            }
        }
        return found;
    }

    /**
     * Runs one command behind the breaker. Whatever goes wrong is {@code fallback}: the breaker learns whether Redis
     * failed (it counts toward opening), a key held something unexpected (Redis answered: no), or the calling thread was
     * interrupted (says nothing about Redis).
     */
    private <T> T call(String operation, Supplier<T> command, T fallback) {
        if (!breaker.tryAcquire()) {
            meters.storeShortCircuit(operation);
            return fallback;
        }
        boolean reported = false;
        try {
            T result = command.get();
            breaker.onSuccess();
            reported = true;
            return result;
        } catch (RuntimeException e) {
            meters.storeError(operation);
            if (Thread.currentThread().isInterrupted() || poolExhausted(e)) {
                // Neither says anything about Redis: a cancelled caller, or more callers than pooled connections.
                breaker.abandon();
            } else if (e instanceof JedisDataException data && unexpectedValue(data)) {
                breaker.onSuccess();
            } else {
                breaker.onFailure();
            }
            reported = true;
            (e instanceof JedisDataException data && unexpectedValue(data) ? badValues : failures).warn(
                    "shared cache tier: " + operation + " failed, answered as a miss (breaker " + breaker.state().wireName()
                    + "): " + e, null);
            return fallback;
        } finally {
            if (!reported) {
                breaker.abandon(); // an Error: let it through, but never leave the probe slot taken
            }
        }
    }

    /** A value that is not what the store keeps under that key: counted and logged, the call itself went fine. */
    private void unexpectedValue(String operation, String detail) {
        meters.storeError(operation);
        badValues.warn("shared cache tier: " + operation + ": " + detail + "; answered as a miss", null);
    }

    /** No pooled connection came free within the pool wait: a burst, not a sick Redis. */
    static boolean poolExhausted(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.util.NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    /** Redis refused the command because of what the key holds, not because Redis is unwell. */
    static boolean unexpectedValue(JedisDataException e) {
        String message = e.getMessage();
        return message != null && (message.startsWith("WRONGTYPE") || message.startsWith("ERR value is not an integer"));
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }

    static String resource(String name) {
        try (InputStream in = RedisSharedStore.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
