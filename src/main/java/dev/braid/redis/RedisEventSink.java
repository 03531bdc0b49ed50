package dev.braid.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.braid.events.Claim;
import dev.braid.events.Commit;
import dev.braid.events.EventEffects;
import dev.braid.events.EventSink;
import dev.braid.events.EventsConfig;
import dev.braid.events.EventsUnavailableException;
import dev.braid.events.IdempotencyKey;
import dev.braid.events.StoredAnswer;
import dev.braid.observe.ThrottledLog;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Applies the effects of an event batch to Redis together with its record, in one script ({@code redis/events-apply.lua}),
 * so that a batch is applied exactly when its record says so. Keys of a user carry the user as a hash tag
 * ({@code {USER}}), so each user's keys share a cluster slot.
 *
 * <ul>
 *   <li>{@code gen:{USER}}: {@code INCR}, once per user and batch, expiring 30 days after the last bump (the cache's user
 *       generation);</li>
 *   <li>{@code purchased:{USER}} ({@link #purchasedKey}): {@code SADD} of the items bought, expiring after 180 days;</li>
 *   <li>{@code affinity:{USER}:category} and {@code :brand} ({@link RedisUserAffinities#key}): {@code ZINCRBY}, then only
 *       the strongest 50 are kept, expiring after 90 days;</li>
 *   <li>{@code trending:items} ({@link #TRENDING}): {@code ZINCRBY} of the forward-decayed scores on the scale whose base
 *       is {@code {trending:items}:base} ({@link #TRENDING_BASE}), the top 10,000 kept;</li>
 *   <li>{@code history:{USER}} ({@link HistoryEntries}): {@code LPUSH} of the user's clicks, adds to cart, purchases and
 *       ratings, oldest first so the newest ends up at the head; then only the newest 200 are kept, expiring after 90
 *       days.</li>
 * </ul>
 *
 * <p><b>Records.</b> An idempotency key is a hash {@code idem:{CALLER}:<sha-256 of the key>} (state, fingerprint,
 * token, the answer), claimed by {@code events-claim.lua} before the batch is applied; the caller's keys are indexed in
 * {@code idem:{CALLER}} (a sorted set by time) so that their number stays bounded. A batch without a key gets a record
 * {@code events:once:<random id>} that lives for a few lock times: enough for the store to tell, after a lost reply,
 * whether the batch was applied ({@code events-settle.lua}), and for a copy of the request still on its way to find the
 * batch applied or refused, never to apply it again.
 *
 * <p><b>Standalone</b>: one script call per batch, effects and record together, atomic. A failure that leaves it open
 * whether the script ran (a timeout, a connection lost while the reply was awaited) is settled at once by one more call.
 *
 * <p><b>Cluster</b>: a script cannot span hash slots, so each slot's part of the batch is applied with a record of that
 * part ({@code events:once:{TAG}:<id>}, the part's hash tag), in one cluster pipeline: a part is applied exactly once
 * however often it is sent. A failed part is sent once more. With a key, the id of the parts is derived from the key, so
 * a retry of the request applies exactly the parts that were not applied yet, and the key's record is marked done only
 * once every part is ({@code events-finish.lua}); without one, a node failing mid-batch can leave the other parts
 * applied, and the answer then says the outcome is unknown.
 */
public final class RedisEventSink implements EventSink {
    /** The sorted set of items by forward-decayed popularity (see {@code events.TrendingDecay}). */
    public static final String TRENDING = "trending:items";
    /** The trending scale's base {@code B}; its hash tag puts it in {@link #TRENDING}'s slot. */
    public static final String TRENDING_BASE = "{trending:items}:base";
    static final long TRENDING_SIZE = 10_000;
    static final long AFFINITY_SIZE = 50;
    static final Duration PURCHASES_TTL = Duration.ofDays(180);
    static final Duration AFFINITY_TTL = Duration.ofDays(90);
    static final LuaScript CLAIM = LuaScript.load("redis/events-claim.lua");
    static final LuaScript APPLY = LuaScript.load("redis/events-apply.lua");
    static final LuaScript SETTLE = LuaScript.load("redis/events-settle.lua");
    static final LuaScript RELEASE = LuaScript.load("redis/events-release.lua");
    static final LuaScript FINISH = LuaScript.load("redis/events-finish.lua");
    static final LuaScript REBASE = LuaScript.load("redis/trending-rebase.lua");
    /** The last fencing token the trending rebase accepted; its hash tag puts it in {@link #TRENDING}'s slot. */
    public static final String TRENDING_FENCE = "{trending:items}:rebase-fence";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(RedisEventSink.class.getName());

    private final UnifiedJedis redis;
    private final boolean cluster;
    private final EventsConfig config;
    private final LongSupplier wallMicros;
    private final ThrottledLog partialFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog releaseFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);

    /** With the default settings. */
    public RedisEventSink(UnifiedJedis redis, boolean cluster) {
        this(redis, cluster, EventsConfig.DEFAULT);
    }

    /** @param cluster whether {@code redis} is a cluster client (no script across slots) */
    public RedisEventSink(UnifiedJedis redis, boolean cluster, EventsConfig config) {
        this(redis, cluster, config, () -> System.currentTimeMillis() * 1_000);
    }

    /** @param wallMicros this replica's wall clock in microseconds: the deadline of a batch without a key */
    RedisEventSink(UnifiedJedis redis, boolean cluster, EventsConfig config, LongSupplier wallMicros) {
        this.redis = redis;
        this.cluster = cluster;
        this.config = config;
        this.wallMicros = wallMicros;
    }

    /** The set of items {@code user} bought: the blending excludes them from the user's recommendations. */
    public static String purchasedKey(String user) {
        return "purchased:{" + user + "}";
    }

    /** The index of a caller's idempotency keys. */
    public static String indexKey(String caller) {
        return "idem:{" + caller.replace('{', '(').replace('}', ')') + "}";
    }

    /** The record of an idempotency key: in its caller's slot, named by a digest so that any key fits. */
    public static String recordKey(IdempotencyKey key) {
        return indexKey(key.caller()) + ":" + suffix(key.value());
    }

    /** On a cluster, the id of the parts of a batch sent with {@code key}: the same for every request with it. */
    static String partId(IdempotencyKey key) {
        return suffix(key.caller() + "\u0000" + key.value());
    }

    /** On a cluster, the record of the part of batch {@code id} in the hash slot of {@code tag}. */
    static String partRecord(String tag, String id) {
        return "events:once:{" + tag + "}:" + id;
    }

    @Override
    public Claim claim(IdempotencyKey key, String fingerprint) {
        String token = UUID.randomUUID().toString();
        List<?> reply = null;
        for (int attempt = 0; reply == null; attempt++) {
            try {
                reply = (List<?>) CLAIM.run(redis, List.of(recordKey(key), indexKey(key.caller())), List.of(
                        fingerprint, token, millis(config.idempotency().lockTtl()),
                        millis(config.idempotency().retention()), Integer.toString(config.idempotency().maxKeys()),
                        suffix(key.value()), indexKey(key.caller()) + ":"));
            } catch (RuntimeException e) {
                boolean notRun = WriteFailures.notRun(e);
                if (notRun && attempt == 0 && brokenConnection(e)) {
                    continue; // a stale pooled connection: once more on a fresh one
                }
                // The claim applies nothing: the answer is "not applied" either way. A claim that may still run holds the
                // key until its lock expires, unless this release, sent after it, gets there later.
                if (!notRun) {
                    release(key, token);
                }
                throw new EventsUnavailableException("Redis did not take the idempotency key: " + e, e, false);
            }
        }
        return switch (String.valueOf(reply.getFirst())) {
            case "claimed" -> new Claim.Claimed(token, Long.parseLong(String.valueOf(reply.get(1))));
            case "replay" -> new Claim.Replay(new StoredAnswer(Integer.parseInt(String.valueOf(reply.get(1))),
                                                               String.valueOf(reply.get(2))));
            case "in_flight" -> new Claim.InFlight();
            case "mismatch" -> new Claim.Mismatch();
            default -> throw new IllegalStateException("events-claim.lua answered " + reply);
        };
    }

    @Override
    public boolean apply(EventEffects effects, Commit commit) {
        return cluster ? applyParts(effects, commit) : applyWhole(effects, commit);
    }

    @Override
    public void release(IdempotencyKey key, String token) {
        boolean interrupted = Thread.interrupted();
        try {
            RELEASE.run(redis, List.of(recordKey(key)), List.of(token));
        } catch (RuntimeException e) {
            releaseFailures.warn("an idempotency key could not be released; it is held until its lock expires: " + e,
                                 null);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Moves the trending scale's base to {@code base} (the exponent of now: see {@code TrendingDecay}), multiplying
     * every score by {@code exp(base − old base)}, if {@code fence} is not older than the last rebase's token.
     *
     * @return whether it did: {@code false} when a newer holder of the rebase job has rebased
     * @throws EventsUnavailableException when Redis cannot answer
     */
    public boolean rebaseTrending(double base, long fence) {
        try {
            List<?> reply = (List<?>) REBASE.run(redis, List.of(TRENDING_FENCE, TRENDING, TRENDING_BASE),
                                                 List.of(Long.toString(fence), Double.toString(base)));
            return (Long) reply.getFirst() == 1L;
        } catch (RuntimeException e) {
            throw new EventsUnavailableException("Redis did not rebase trending: " + e, e, true);
        }
    }

    /**
     * Standalone: effects and record in one script call. A call that failed on a broken connection (a stale pooled one
     * after Redis restarted or the network blipped) and did not apply the batch is made once more on a fresh one: the
     * client should not pay for a connection the pool had not yet noticed was dead.
     */
    private boolean applyWhole(EventEffects effects, Commit commit) {
        Commit current = commit;
        for (int attempt = 0; ; attempt++) {
            String record = current.keyed() ? recordKey(current.key()) : "events:once:" + current.token();
            Script script = new Script(record);
            write(effects, tag -> script);
            List<?> reply;
            try {
                reply = (List<?>) APPLY.run(redis, script.keys(), arguments(current, current.token(), script));
            } catch (RuntimeException e) {
                boolean notRun = WriteFailures.notRun(e);
                if (!notRun && settle(record, current, e)) {
                    return true;
                }
                // Not applied (never run, or settled as not applied: a keyed claim released, a tombstone written).
                if (attempt == 0 && brokenConnection(e) && (notRun || !current.keyed())) {
                    // A keyed claim survives a call that never ran; a batch without a key takes a fresh id, since the
                    // old one is a tombstone now.
                    current = current.keyed() ? current : Commit.anonymous(UUID.randomUUID().toString());
                    continue;
                }
                throw new EventsUnavailableException("Redis did not take the batch: " + e, e, false);
            }
            return applied(reply, current);
        }
    }

    /** The connection broke (reset, closed, refused): not a slow Redis, which a second call would only load more. */
    static boolean brokenConnection(Throwable failure) {
        if (!(failure instanceof redis.clients.jedis.exceptions.JedisConnectionException)
            || RedisSharedStore.poolExhausted((RuntimeException) failure)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return false;
            }
        }
        return true;
    }

    /**
     * After a lost reply: one more call says whether the batch was applied, and makes sure a copy still on its way
     * cannot apply it later (a keyed claim is released, a batch without a key gets a tombstone). Returns whether it was
     * applied; throws when even that call fails.
     */
    private boolean settle(String record, Commit commit, RuntimeException failure) {
        Object state;
        try {
            state = SETTLE.run(redis, List.of(record), List.of(commit.keyed() ? "claimed" : "once", commit.token(),
                                                               millis(config.idempotency().lockTtl().multipliedBy(2))));
        } catch (RuntimeException e) {
            e.addSuppressed(failure);
            throw new EventsUnavailableException("Redis did not confirm whether it took the batch: " + failure
                                                 + "; asking again failed too: " + e, e, true);
        }
        return "applied".equals(String.valueOf(state));
    }

    /** What one script call's reply means for the whole batch. */
    private boolean applied(List<?> reply, Commit commit) {
        String outcome = String.valueOf(reply.getFirst());
        switch (outcome) {
            case "applied" -> {
                logRefusals(reply);
                return true;
            }
            case "already" -> {
                return true;
            }
            case "lost", "expired" -> {
                if (commit.keyed()) {
                    return false; // the key's lock expired: another request may hold it now
                }
                throw new EventsUnavailableException("the batch reached Redis after its deadline and was not applied",
                                                     null, false);
            }
            default -> throw new IllegalStateException("events-apply.lua answered " + reply);
        }
    }

    /** Cluster: each slot's part with its own record, in one pipeline; failed parts once more. */
    private boolean applyParts(EventEffects effects, Commit commit) {
        // With a key the parts' id is the key's own, so that a retry of the request finds the parts applied before.
        String id = commit.keyed() ? partId(commit.key()) : commit.token();
        Map<String, Script> parts = new LinkedHashMap<>();
        write(effects, tag -> parts.computeIfAbsent(tag, t -> new Script(partRecord(t, id))));
        Commit perPart = commit.keyed()
                ? new Commit(null, id, null, commit.deadline())
                : new Commit(null, id, null, 0);
        List<Script> pending = new ArrayList<>(parts.values());
        boolean anyApplied = false;
        boolean anyUnknown = false;
        RuntimeException lastFailure = null;
        for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
            Map<Script, Object> results = runParts(pending, perPart, commit.keyed());
            pending = new ArrayList<>();
            anyUnknown = false;
            for (Map.Entry<Script, Object> result : results.entrySet()) {
                switch (result.getValue()) {
                    case List<?> reply when "applied".equals(String.valueOf(reply.getFirst())) -> {
                        anyApplied = true;
                        logRefusals(reply);
                    }
                    case List<?> reply when "already".equals(String.valueOf(reply.getFirst())) -> anyApplied = true;
                    case List<?> reply -> throw new EventsUnavailableException(
                            "a part of the batch reached Redis after its deadline (" + reply.getFirst() + ")", null,
                            anyApplied || commit.keyed());
                    case Unknown unknown -> {
                        anyUnknown = true;
                        lastFailure = unknown.failure();
                        pending.add(result.getKey());
                    }
                    case NotRun notRun -> {
                        lastFailure = notRun.failure();
                        pending.add(result.getKey());
                    }
                    default -> throw new IllegalStateException("unexpected part result " + result.getValue());
                }
            }
        }
        if (!pending.isEmpty()) {
            throw new EventsUnavailableException("Redis did not take " + pending.size() + " of " + parts.size()
                                                 + " parts of the batch: " + lastFailure, lastFailure,
                                                 anyApplied || anyUnknown || commit.keyed());
        }
        if (!commit.keyed()) {
            return true;
        }
        Object finished;
        try {
            finished = FINISH.run(redis, List.of(recordKey(commit.key())), List.of(
                    commit.token(), Integer.toString(commit.answer().status()), commit.answer().body(),
                    millis(config.idempotency().retention())));
        } catch (RuntimeException e) {
            // Every part is applied and recorded: a retry with the key finds them and completes the record.
            throw new EventsUnavailableException("the batch was applied but its key not marked done: " + e, e, true);
        }
        if (!"done".equals(String.valueOf(finished))) {
            return false;
        }
        forgetParts(parts.values(), commit.deadline());
        return true;
    }

    /** A part whose call failed before Redis could run it. */
    private record NotRun(RuntimeException failure) {
    }

    /** A part whose call failed in a way that leaves open whether Redis ran it. */
    private record Unknown(RuntimeException failure) {
    }

    private Map<Script, Object> runParts(List<Script> parts, Commit perPart, boolean keyed) {
        Map<Script, Object> results = new LinkedHashMap<>();
        Map<Script, Response<Object>> replies = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Script part : parts) {
                replies.put(part, APPLY.queue(pipeline, part.keys(), partArguments(perPart, keyed, part)));
            }
            pipeline.sync();
        } catch (RuntimeException e) {
            // Queuing sends to a node at once: the parts queued so far may have run, the others were never sent.
            for (Script part : parts) {
                results.put(part, replies.containsKey(part) && !WriteFailures.noneRan(e) ? new Unknown(e) : new NotRun(e));
            }
            return results;
        }
        for (Map.Entry<Script, Response<Object>> reply : replies.entrySet()) {
            Script part = reply.getKey();
            try {
                results.put(part, reply.getValue().get());
            } catch (JedisNoScriptException e) {
                // That node has not seen the script yet: nothing ran; once more with EVAL.
                try {
                    results.put(part, APPLY.run(redis, part.keys(), partArguments(perPart, keyed, part)));
                } catch (RuntimeException again) {
                    results.put(part, WriteFailures.notRun(again) ? new NotRun(again) : new Unknown(again));
                }
            } catch (JedisDataException e) {
                results.put(part, new NotRun(e));
            } catch (RuntimeException e) {
                // The node's connection failed while its replies were read.
                results.put(part, new Unknown(e));
            }
        }
        return results;
    }

    /** The arguments of one part on a cluster: a record of the part alone, kept as long as the key (or a few locks). */
    private List<String> partArguments(Commit perPart, boolean keyed, Script part) {
        Duration keep = keyed ? config.idempotency().retention() : config.idempotency().lockTtl().multipliedBy(2);
        long deadline = keyed ? perPart.deadline() : wallMicros.getAsLong() + config.idempotency().lockTtl().toNanos() / 1_000;
        return List.of("once", perPart.token(), millis(keep), "", "", Long.toString(deadline), part.ops());
    }

    /**
     * Once a keyed batch is done, its parts' records are needed only until no copy of them can arrive any more (their
     * deadline): best effort, they expire with the key otherwise.
     */
    private void forgetParts(Iterable<Script> parts, long deadlineMicros) {
        long at = deadlineMicros / 1_000 + config.idempotency().lockTtl().toMillis();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            parts.forEach(part -> pipeline.pexpireAt(part.keys().getFirst(), at));
            pipeline.sync();
        } catch (RuntimeException e) {
            releaseFailures.warn("the parts of an applied batch keep their records until the key expires: " + e, null);
        }
    }

    private List<String> arguments(Commit commit, String token, Script script) {
        if (commit.keyed()) {
            return List.of("claimed", token, millis(config.idempotency().retention()),
                           Integer.toString(commit.answer().status()), commit.answer().body(),
                           Long.toString(commit.deadline()), script.ops());
        }
        long deadline = wallMicros.getAsLong() + config.idempotency().lockTtl().toNanos() / 1_000;
        return List.of("once", token, millis(config.idempotency().lockTtl().multipliedBy(2)), "", "",
                       Long.toString(deadline), script.ops());
    }

    private void logRefusals(List<?> reply) {
        long failed = (Long) reply.get(1);
        long dropped = (Long) reply.get(3);
        if (failed > 0) {
            // A command Redis ran and refused (a key of another type, say): the others are applied and stay applied, so
            // retrying would count them twice. Logged, not answered as a failure.
            partialFailures.warn(failed + " command(s) of an event batch failed, the rest was applied; first: "
                                 + reply.get(2), null);
        }
        if (dropped > 0) {
            partialFailures.warn(dropped + " trending contribution(s) were dropped: they no longer fit the trending "
                                 + "scale, whose rebase job has not run for a long time", null);
        }
    }

    /** The commands of a batch, each into the script of its key's hash tag. */
    private static void write(EventEffects effects, Function<String, Script> scriptFor) {
        for (String user : effects.generations()) {
            String key = RedisSharedStore.generationKey(user);
            Script script = scriptFor.apply(user);
            script.op("INCR", key);
            script.op("EXPIRE", key, Long.toString(RedisSharedStore.generationTtl().toSeconds()));
        }
        effects.purchases().forEach((user, items) -> {
            Script script = scriptFor.apply(user);
            script.op("SADD", purchasedKey(user), items.toArray(String[]::new));
            script.op("EXPIRE", purchasedKey(user), Long.toString(PURCHASES_TTL.toSeconds()));
        });
        effects.history().forEach((user, events) -> {
            String key = HistoryEntries.key(user);
            Script script = scriptFor.apply(user);
            script.op("LPUSH", key, events.stream().map(HistoryEntries::encode).toArray(String[]::new));
            script.op("LTRIM", key, "0", Long.toString(HistoryEntries.SIZE - 1));
            script.op("EXPIRE", key, Long.toString(HistoryEntries.TTL.toSeconds()));
        });
        affinities(effects.categories(), "category", scriptFor);
        affinities(effects.brands(), "brand", scriptFor);
        if (!effects.trending().isEmpty()) {
            Script script = scriptFor.apply(TRENDING);
            script.trending(effects.trending());
            // Bounded: the weakest fall out (rank 0 is the lowest score).
            script.op("ZREMRANGEBYRANK", TRENDING, "0", Long.toString(-TRENDING_SIZE - 1));
        }
    }

    private static void affinities(Map<String, Map<String, Double>> byUser, String kind,
                                   Function<String, Script> scriptFor) {
        byUser.forEach((user, weights) -> {
            String key = RedisUserAffinities.key(user, kind);
            Script script = scriptFor.apply(user);
            weights.forEach((value, weight) -> script.op("ZINCRBY", key, Double.toString(weight), value));
            // Bounded: the weakest fall out (rank 0 is the lowest score); the search reads only the strongest few.
            script.op("ZREMRANGEBYRANK", key, "0", Long.toString(-AFFINITY_SIZE - 1));
            script.op("EXPIRE", key, Long.toString(AFFINITY_TTL.toSeconds()));
        });
    }

    /** The keys and operations of one call of {@code events-apply.lua}; its first key is the record. */
    private static final class Script {
        private final List<String> keys = new ArrayList<>();
        private final Map<String, Integer> positions = new LinkedHashMap<>();
        private final ArrayNode ops = JSON.createArrayNode();

        Script(String record) {
            position(record);
        }

        List<String> keys() {
            return keys;
        }

        String ops() {
            return ops.toString();
        }

        void op(String command, String key, String... arguments) {
            ArrayNode op = ops.addArray().add(command).add(position(key));
            for (String argument : arguments) {
                op.add(argument);
            }
        }

        /** ZINCRBY of {@code exp(logScore − base)} per item, the base read in the same script. */
        void trending(Map<String, Double> logScores) {
            ArrayNode op = ops.addArray().add("trending").add(position(TRENDING)).add(position(TRENDING_BASE));
            logScores.forEach((item, logScore) -> op.add(item).add(Double.toString(logScore)));
        }

        /** The key's 1-based position in KEYS. */
        private int position(String key) {
            return positions.computeIfAbsent(key, k -> {
                keys.add(k);
                return keys.size();
            });
        }
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }

    /** The first 128 bits of the SHA-256 of {@code value}, in hex: a fixed-length, character-safe name for it. */
    private static String suffix(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
