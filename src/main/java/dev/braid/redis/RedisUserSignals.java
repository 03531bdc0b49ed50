package dev.braid.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import dev.braid.config.Rule;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;
import dev.braid.recommend.Signals;
import dev.braid.recommend.UserSignals;

import io.helidon.metrics.api.Metrics;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A user's signals in one pipelined round trip: the history list ({@link HistoryEntries}, deduplicated newest first),
 * the strongest category affinities ({@link RedisUserAffinities#key}) and the purchases
 * ({@link RedisEventSink#purchasedKey}). The three keys share the hash tag {@code {USER}}, so on a cluster they live in
 * one slot and the cluster pipeline sends them to one node in one round trip, as on a standalone server. Reads need no
 * transaction: a batch of events landing in between can only make the answer a little newer.
 *
 * <p>Nothing throws. A failure (down, timed out, refused, pool exhausted) is {@link Signals#unknown()}, counted
 * ({@code braid.user.signals{result}}) and logged at most once per interval. A {@link StoreBreaker} of its own makes a
 * dead Redis cost nothing per request: after a few failures in a row the signals are unknown without a call until a
 * probe finds Redis back. A key holding another type is that part's emptiness, not an outage: Redis answered.
 */
public final class RedisUserSignals implements UserSignals {
    private static final Logger LOG = Logger.getLogger(RedisUserSignals.class.getName());

    private final UnifiedJedis redis;
    private final int historySize;
    private final int categories;
    private final StoreBreaker breaker;
    private final BraidMeters meters;
    private final ThrottledLog failures;
    /** Separate, so that a stray key's line cannot hide a Redis outage's for an interval, nor the other way round. */
    private final ThrottledLog badValues;

    /** With the default breaker, the JVM's meter registry and the system clock. */
    public RedisUserSignals(UnifiedJedis redis, int historySize, int categories) {
        this(redis, historySize, categories, RedisConfig.Breaker.DEFAULT, new BraidMeters(Metrics.globalRegistry()),
             System::nanoTime);
    }

    /**
     * @param historySize how many distinct recent items to read (0: none)
     * @param categories  how many of the strongest categories to read (0: none)
     * @param breaker     when to stop calling a failing Redis (the deployment's {@code redis.breaker})
     * @param nanoTime    the breaker's and the throttled logs' clock ({@link System#nanoTime()} outside tests)
     */
    public RedisUserSignals(UnifiedJedis redis, int historySize, int categories, RedisConfig.Breaker breaker,
                            BraidMeters meters, LongSupplier nanoTime) {
        this.redis = redis;
        this.historySize = Rule.atLeast("history-size", historySize, 0);
        this.categories = Rule.atLeast("categories", categories, 0);
        this.breaker = new StoreBreaker(breaker, nanoTime);
        this.meters = meters;
        this.failures = new ThrottledLog(LOG, Duration.ofSeconds(30), nanoTime);
        this.badValues = new ThrottledLog(LOG, Duration.ofSeconds(30), nanoTime);
        meters.registerUserSignals();
    }

    @Override
    public Signals of(String user) {
        if (user == null) {
            return Signals.unknown();
        }
        if (!breaker.tryAcquire()) {
            meters.userSignals("short_circuit");
            return Signals.unknown();
        }
        boolean reported = false;
        try {
            Signals signals = read(user);
            breaker.onSuccess();
            reported = true;
            meters.userSignals("ok");
            return signals;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || RedisSharedStore.poolExhausted(e)) {
                // Neither says anything about Redis: a cancelled caller, or more callers than pooled connections.
                breaker.abandon();
            } else {
                breaker.onFailure();
            }
            reported = true;
            meters.userSignals("error");
            failures.warn("user signals unavailable, recommending without them (breaker " + breaker.state().wireName()
                          + "): " + e, null);
            return Signals.unknown();
        } finally {
            if (!reported) {
                breaker.abandon(); // an Error: let it through, but never leave the probe slot taken
            }
        }
    }

    /** The breaker's state, as {@link RedisSharedStore#breakerState()} reports the cache's. */
    public String breakerState() {
        return breaker.state().wireName();
    }

    private Signals read(String user) {
        Response<List<String>> history = null;
        Response<List<String>> top = null;
        Response<Set<String>> purchased;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            if (historySize > 0) {
                history = pipeline.lrange(HistoryEntries.key(user), 0, HistoryEntries.entriesFor(historySize) - 1);
            }
            if (categories > 0) {
                top = pipeline.zrevrange(RedisUserAffinities.key(user, "category"), 0, categories - 1);
            }
            purchased = pipeline.smembers(RedisEventSink.purchasedKey(user));
            pipeline.sync();
        }
        List<String> entries = value(history, List.of(), HistoryEntries.key(user));
        return new Signals(HistoryEntries.distinctItems(entries, historySize, badValues),
                           value(top, List.of(), RedisUserAffinities.key(user, "category")),
                           value(purchased, Set.of(), RedisEventSink.purchasedKey(user)), true);
    }

    /** A reply's value; {@code empty} when not asked for, or when the key holds another type (logged). */
    private <T> T value(Response<T> reply, T empty, String key) {
        if (reply == null) {
            return empty;
        }
        try {
            T value = reply.get();
            return value == null ? empty : value;
        } catch (JedisDataException e) {
            if (!RedisSharedStore.unexpectedValue(e)) {
                throw e; // refused for another reason (loading, out of memory, cluster down): Redis is not well
            }
            badValues.warn("user signals: " + key + " holds something unexpected (" + e.getMessage()
                           + "); read as empty", null);
            return empty;
        }
    }
}
