package dev.braid.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.braid.events.EventEffects;
import dev.braid.events.EventSink;
import dev.braid.events.EventsUnavailableException;
import dev.braid.observe.ThrottledLog;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Applies the effects of an event batch to Redis in one pipelined round trip. Keys of a user carry the user as a hash tag
 * ({@code {USER}}), so each user's keys share a cluster slot.
 *
 * <ul>
 *   <li>{@code gen:{USER}}: {@code INCR}, once per user and batch, expiring 30 days after the last bump (the cache's user
 *       generation);</li>
 *   <li>{@code purchased:{USER}} ({@link #purchasedKey}): {@code SADD} of the items bought, expiring after 180 days;</li>
 *   <li>{@code affinity:{USER}:category} and {@code :brand} ({@link RedisUserAffinities#key}): {@code ZINCRBY}, then only
 *       the strongest 50 are kept, expiring after 90 days;</li>
 *   <li>{@code trending:items} ({@link #TRENDING}): {@code ZINCRBY} of the forward-decayed scores, the top 10,000 kept;</li>
 *   <li>{@code history:{USER}} ({@link HistoryEntries}): {@code LPUSH} of the user's clicks, adds to cart, purchases and
 *       ratings, oldest first so the newest ends up at the head; then only the newest 200 are kept, expiring after 90
 *       days.</li>
 * </ul>
 *
 * <p>On a standalone server the commands are wrapped in {@code MULTI}/{@code EXEC} written into the same pipeline, so the
 * batch is all or nothing: a connection lost before {@code EXEC} arrives leaves nothing behind. (Jedis' own transaction
 * reads the {@code QUEUED} replies before it sends {@code EXEC}, a second round trip.) A cluster cannot run a transaction
 * over several slots: there the cluster pipeline sends each node its commands in one round trip, and a node failing
 * mid-batch can leave the batch applied on the other nodes.
 */
public final class RedisEventSink implements EventSink {
    /** The sorted set of items by forward-decayed popularity (see {@code events.TrendingDecay}). */
    public static final String TRENDING = "trending:items";
    static final long TRENDING_SIZE = 10_000;
    static final long AFFINITY_SIZE = 50;
    static final Duration PURCHASES_TTL = Duration.ofDays(180);
    static final Duration AFFINITY_TTL = Duration.ofDays(90);
    private static final Logger LOG = Logger.getLogger(RedisEventSink.class.getName());

    private final UnifiedJedis redis;
    private final boolean cluster;
    private final ThrottledLog partialFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);

    /** @param cluster whether {@code redis} is a cluster client (no transactions across slots) */
    public RedisEventSink(UnifiedJedis redis, boolean cluster) {
        this.redis = redis;
        this.cluster = cluster;
    }

    /** The set of items {@code user} bought: the blending excludes them from the user's recommendations. */
    public static String purchasedKey(String user) {
        return "purchased:{" + user + "}";
    }

    @Override
    public void apply(EventEffects effects) {
        // In a transaction these replies are only QUEUED: the results are in EXEC's reply.
        List<Response<?>> replies = new ArrayList<>();
        Response<Object> exec;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            if (!cluster) {
                pipeline.sendCommand(Protocol.Command.MULTI, new String[0]);
            }
            write(pipeline, effects, replies);
            exec = cluster ? null : pipeline.sendCommand(Protocol.Command.EXEC, new String[0]);
            pipeline.sync();
        } catch (RuntimeException e) {
            // Down, timed out, pool exhausted, topology unknown: the client keeps its events and sends them again.
            throw new EventsUnavailableException("Redis did not take the batch: " + e, e);
        }
        List<JedisDataException> failed = cluster ? failures(replies) : failures(exec);
        if (!failed.isEmpty()) {
            // A command Redis ran and refused (a key of another type, say): the others are applied and stay applied, so
            // retrying would count them twice. Logged, not answered as a failure.
            partialFailures.warn(failed.size() + " command(s) of an event batch failed, the rest was applied; first: "
                                 + failed.getFirst().getMessage(), null);
        }
    }

    private static void write(AbstractPipeline pipeline, EventEffects effects, List<Response<?>> replies) {
        for (String user : effects.generations()) {
            replies.add(pipeline.incr(RedisSharedStore.generationKey(user)));
            replies.add(pipeline.expire(RedisSharedStore.generationKey(user), RedisSharedStore.generationTtl().toSeconds()));
        }
        effects.purchases().forEach((user, items) -> {
            replies.add(pipeline.sadd(purchasedKey(user), items.toArray(String[]::new)));
            replies.add(pipeline.expire(purchasedKey(user), PURCHASES_TTL.toSeconds()));
        });
        effects.history().forEach((user, events) -> {
            String key = HistoryEntries.key(user);
            replies.add(pipeline.lpush(key, events.stream().map(HistoryEntries::encode).toArray(String[]::new)));
            replies.add(pipeline.ltrim(key, 0, HistoryEntries.SIZE - 1));
            replies.add(pipeline.expire(key, HistoryEntries.TTL.toSeconds()));
        });
        affinities(pipeline, effects.categories(), "category", replies);
        affinities(pipeline, effects.brands(), "brand", replies);
        if (!effects.trending().isEmpty()) {
            effects.trending().forEach((item, score) -> replies.add(pipeline.zincrby(TRENDING, score, item)));
            replies.add(pipeline.zremrangeByRank(TRENDING, 0, -TRENDING_SIZE - 1));
        }
    }

    private static void affinities(AbstractPipeline pipeline, Map<String, Map<String, Double>> byUser, String kind,
                                   List<Response<?>> replies) {
        byUser.forEach((user, weights) -> {
            String key = RedisUserAffinities.key(user, kind);
            weights.forEach((value, weight) -> replies.add(pipeline.zincrby(key, weight, value)));
            // Bounded: the weakest fall out (rank 0 is the lowest score); the search reads only the strongest few.
            replies.add(pipeline.zremrangeByRank(key, 0, -AFFINITY_SIZE - 1));
            replies.add(pipeline.expire(key, AFFINITY_TTL.toSeconds()));
        });
    }

    /** The refused commands of a transaction; {@code EXEC} itself refused means nothing ran. */
    private static List<JedisDataException> failures(Response<Object> exec) {
        Object results;
        try {
            results = exec.get();
        } catch (JedisDataException e) {
            // EXECABORT: a command could not even be queued (out of memory, say), so the whole transaction was dropped.
            throw new EventsUnavailableException("Redis refused the batch: " + e.getMessage(), e);
        }
        List<JedisDataException> failed = new ArrayList<>();
        if (results instanceof List<?> list) {
            list.stream().filter(JedisDataException.class::isInstance).map(JedisDataException.class::cast)
                    .forEach(failed::add);
        }
        return failed;
    }

    private static List<JedisDataException> failures(List<Response<?>> replies) {
        List<JedisDataException> failed = new ArrayList<>();
        for (Response<?> reply : replies) {
            try {
                reply.get();
            } catch (JedisDataException e) {
                failed.add(e);
            }
        }
        return failed;
    }
}
