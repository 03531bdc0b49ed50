package dev.braid.redis;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.braid.experiments.Coverage;
import dev.braid.experiments.Exposure;
import dev.braid.experiments.ExposureConfig;
import dev.braid.experiments.ExposureSink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes exposures to Redis, a batch in one pipelined round trip (in a cluster: one per node the batch touches):
 *
 * <ul>
 *   <li>the stream {@link ExposureConfig#stream()}: one {@code XADD … MAXLEN ~ max-length *} per exposure, with the fields
 *       {@code recommendation_id, user, surface, experiment, variant} (empty when absent), {@code items} (comma-separated),
 *       {@code model_versions} (a JSON object) and {@code ts} (ISO-8601, UTC). {@code ~} lets Redis trim whole nodes
 *       only, so the stream may hold up to about a hundred entries more than the limit, and trimming stays cheap;</li>
 *   <li>{@code coverage:{SURFACE}:YYYY-MM-DD} ({@link #coverageKey}): a HyperLogLog of the distinct items the surface
 *       served that day (UTC, of the exposure's time), {@code PFADD} once per surface and day in the batch, kept
 *       {@link #COVERAGE_TTL} after the last write. The surface is the hash tag, so all of its days share a slot.</li>
 * </ul>
 *
 * <p>Nothing is retried: the {@code ExposureLog} counts a batch that fails here and goes on with the next.
 */
public final class RedisExposureSink implements ExposureSink, Coverage {
    static final Duration COVERAGE_TTL = Duration.ofDays(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final String stream;
    private final XAddParams trimmed;
    /** Every answer of a list carries the same model versions: written as JSON once, not once per exposure. */
    private final Cache<Map<String, String>, String> versionsJson = Caffeine.newBuilder().maximumSize(1_000)
            .executor(Runnable::run).build();

    public RedisExposureSink(UnifiedJedis redis, ExposureConfig config) {
        this.redis = redis;
        this.stream = config.stream();
        this.trimmed = XAddParams.xAddParams().maxLen(config.maxLength()).approximateTrimming();
    }

    /** The HyperLogLog of the items {@code surface} served on {@code day} (UTC). */
    public static String coverageKey(String surface, LocalDate day) {
        return "coverage:{" + surface + "}:" + day;
    }

    /**
     * @throws RuntimeException when Redis is unreachable, or refused any command (then the others may have been applied)
     */
    @Override
    public void write(List<Exposure> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Set<String>> served = new LinkedHashMap<>();
        List<Response<?>> replies = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Exposure exposure : batch) {
                replies.add(pipeline.xadd(stream, trimmed, fields(exposure)));
                if (!exposure.itemIds().isEmpty()) {
                    LocalDate day = LocalDate.ofInstant(exposure.at(), ZoneOffset.UTC);
                    served.computeIfAbsent(coverageKey(exposure.surface(), day), key -> new LinkedHashSet<>())
                            .addAll(exposure.itemIds());
                }
            }
            served.forEach((key, items) -> {
                replies.add(pipeline.pfadd(key, items.toArray(String[]::new)));
                replies.add(pipeline.expire(key, COVERAGE_TTL.toSeconds()));
            });
            pipeline.sync();
        }
        List<JedisDataException> refused = new ArrayList<>();
        for (Response<?> reply : replies) {
            try {
                reply.get();
            } catch (JedisDataException e) {
                refused.add(e);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("Redis refused " + refused.size() + " of " + replies.size()
                                            + " exposure command(s); first: " + refused.getFirst().getMessage(),
                                            refused.getFirst());
        }
    }

    /** The estimated number of distinct items {@code surface} served on {@code day} ({@code PFCOUNT}, error ~0.81 %). */
    @Override
    public long coverage(String surface, LocalDate day) {
        return redis.pfcount(coverageKey(surface, day));
    }

    private Map<String, String> fields(Exposure exposure) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("recommendation_id", exposure.recommendationId());
        fields.put("user", orEmpty(exposure.user()));
        fields.put("surface", exposure.surface());
        fields.put("experiment", orEmpty(exposure.experiment()));
        fields.put("variant", orEmpty(exposure.variant()));
        fields.put("items", String.join(",", exposure.itemIds()));
        fields.put("model_versions", versionsJson.get(exposure.modelVersions(), RedisExposureSink::json));
        fields.put("ts", exposure.at().toString());
        return fields;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String json(Map<String, String> modelVersions) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(modelVersions));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
