package dev.braid.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.braid.observe.ThrottledLog;
import dev.braid.search.Affinities;
import dev.braid.search.UserAffinities;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * A user's category and brand affinities from the sorted sets {@code affinity:{USER}:category} and
 * {@code affinity:{USER}:brand} (member: the value, score: its weight; the events endpoint adds to them). Both are read
 * in one pipelined round trip; the braces keep them in one cluster slot. Any Redis failure means no affinities: the
 * search ranks without personalization.
 */
public final class RedisUserAffinities implements UserAffinities {
    private static final Logger LOG = Logger.getLogger(RedisUserAffinities.class.getName());

    private final UnifiedJedis redis;
    private final int top;
    private final ThrottledLog failures;

    /** @param top how many of the strongest affinities of each kind to read */
    public RedisUserAffinities(UnifiedJedis redis, int top) {
        this.redis = redis;
        this.top = top;
        this.failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    }

    public static String key(String user, String kind) {
        return "affinity:{" + user + "}:" + kind;
    }

    @Override
    public Affinities of(String user) {
        if (user == null || top == 0) {
            return Affinities.none();
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<List<Tuple>> categories = pipeline.zrevrangeWithScores(key(user, "category"), 0, top - 1);
            Response<List<Tuple>> brands = pipeline.zrevrangeWithScores(key(user, "brand"), 0, top - 1);
            pipeline.sync();
            return new Affinities(weights(categories.get()), weights(brands.get()));
        } catch (RuntimeException e) {
            // Down, timed out, pool exhausted, or a key of another type: all mean "rank without them this time".
            failures.warn("user affinities unavailable, searching without personalization: " + e, null);
            return Affinities.none();
        }
    }

    private static Map<String, Double> weights(List<Tuple> tuples) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Tuple tuple : tuples) {
            if (tuple.getScore() > 0 && Double.isFinite(tuple.getScore())) {
                weights.put(tuple.getElement(), tuple.getScore());
            }
        }
        return weights;
    }
}
