package dev.braid.redis;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.braid.experiments.Exposure;
import dev.braid.experiments.ExposureConfig;
import dev.braid.experiments.ExposureLog;
import dev.braid.observe.BraidMeters;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The exposure stream and the coverage HyperLogLogs on a real Redis; Redis going away behind a fault proxy. */
@ExtendWith(RedisExtension.class)
class RedisExposureSinkIT {
    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    private static FaultProxy proxy;
    private static UnifiedJedis direct;
    private static UnifiedJedis client;

    @BeforeAll
    static void start(EmbeddedRedis redis) {
        direct = RedisClient.create(URI.create(redis.uri()));
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        client = RedisClients.create(new RedisConfig(URI.create("redis://127.0.0.1:" + proxy.port()), List.of(),
                                                     Duration.ofMillis(500), 4, Duration.ofMillis(100)));
    }

    @AfterAll
    static void stop() {
        client.close();
        direct.close();
        proxy.close();
    }

    @AfterEach
    void heal() {
        proxy.reset();
    }

    @Test
    void everyExposureIsAStreamEntryWithAllItsFields() {
        String stream = unique("exposures");
        RedisExposureSink sink = new RedisExposureSink(client, new ExposureConfig(stream, 1_000, 100, 10));
        Map<String, String> models = new LinkedHashMap<>();
        models.put("trending", "t-7");
        models.put("databricks", "braid-recs-v2");

        sink.write(List.of(
                new Exposure("r1.blend-v2.treatment", "u1", "home", "blend-v2", "treatment", List.of("i1", "i2", "i3"),
                             models, AT),
                new Exposure("r2", null, "pdp", null, null, List.of(), Map.of(), AT.plusMillis(1))));

        List<StreamEntry> entries = direct.xrange(stream, "-", "+");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).getFields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "recommendation_id", "r1.blend-v2.treatment", "user", "u1", "surface", "home", "experiment", "blend-v2",
                "variant", "treatment", "items", "i1,i2,i3",
                // Keys in order, whatever the map's: the same versions always read the same.
                "model_versions", "{\"databricks\":\"braid-recs-v2\",\"trending\":\"t-7\"}",
                "ts", "2026-11-24T10:00:00Z"));
        assertThat(entries.get(1).getFields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "recommendation_id", "r2", "user", "", "surface", "pdp", "experiment", "", "variant", "", "items", "",
                "model_versions", "{}", "ts", "2026-11-24T10:00:00.001Z"));
    }

    @Test
    void theStreamIsCappedNearItsMaximumLength() {
        String stream = unique("capped");
        RedisExposureSink sink = new RedisExposureSink(client, new ExposureConfig(stream, 1_000, 100, 200));
        for (int batch = 0; batch < 25; batch++) {
            int first = batch * 200;
            sink.write(IntStream.range(first, first + 200).mapToObj(i -> exposure("r" + i, "home", AT, "i" + i)).toList());
        }

        // 5,000 written; MAXLEN ~ 1000 trims whole macro nodes (100 entries each by default), never below the limit.
        assertThat(direct.xlen(stream)).isBetween(1_000L, 1_100L);
        // The newest are the ones kept.
        assertThat(direct.xrevrange(stream, "+", "-", 1).getFirst().getFields()).containsEntry("recommendation_id", "r4999");
    }

    @Test
    void coverageCountsTheDistinctItemsOfASurfacePerUtcDay() {
        String surface = unique("cov");
        RedisExposureSink sink = new RedisExposureSink(client, new ExposureConfig(unique("s"), 1_000, 100, 10));
        List<String> first = IntStream.rangeClosed(1, 60).mapToObj(i -> "i" + i).toList();
        List<String> second = IntStream.rangeClosed(41, 100).mapToObj(i -> "i" + i).toList();

        sink.write(List.of(exposure("r1", surface, AT, first.toArray(String[]::new)),
                           exposure("r2", surface, AT, second.toArray(String[]::new)),
                           // 23:59:59 UTC is still the same day; a second later is the next.
                           exposure("r3", surface, Instant.parse("2026-11-24T23:59:59Z"), "i1", "i200"),
                           exposure("r4", surface, Instant.parse("2026-11-25T00:00:00Z"), "i1", "i2", "i3")));
        sink.write(List.of(exposure("r5", surface, AT, "i100", "i101")));

        // i1..i100, i200 and i101: 102 distinct. HyperLogLog estimates (standard error 0.81 %; 2 % here is 2.5 sd), and
        // counts each item once however often it is served: 60 + 60 + 2 + 2 items were added for the 24th.
        assertThat(sink.coverage(surface, LocalDate.parse("2026-11-24"))).isBetween(100L, 104L);
        assertThat(sink.coverage(surface, LocalDate.parse("2026-11-25"))).isEqualTo(3);
        assertThat(sink.coverage(surface, LocalDate.parse("2026-11-23"))).isZero();
        assertThat(direct.ttl(RedisExposureSink.coverageKey(surface, LocalDate.parse("2026-11-24"))))
                .isBetween(Duration.ofDays(2).toSeconds() - 60, Duration.ofDays(2).toSeconds());
    }

    @Test
    void aRefusedCommandFailsTheBatch() {
        String stream = unique("wrongtype");
        direct.set(stream, "not a stream");
        RedisExposureSink sink = new RedisExposureSink(client, new ExposureConfig(stream, 1_000, 100, 10));

        assertThatThrownBy(() -> sink.write(List.of(exposure("r1", "home", AT, "i1"))))
                .hasMessageContaining("Redis refused 1 of 3 exposure command(s)").hasMessageContaining("WRONGTYPE");
    }

    @Test
    void withRedisDownWritesFailAndAreCountedWhileTheLogKeepsTakingExposures() {
        String stream = unique("down");
        RedisExposureSink sink = new RedisExposureSink(client, new ExposureConfig(stream, 1_000, 100, 10));
        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        assertThatThrownBy(() -> sink.write(List.of(exposure("r0", "home", AT, "i1")))).isInstanceOf(RuntimeException.class);
        ExposureLog log = new ExposureLog(sink, new ExposureConfig(stream, 1_000, 100, 10), METERS);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 30; i++) {
                log.record(exposure("r" + i, "home", AT, "i1"));
            }
        });
        log.close(Duration.ofSeconds(10));
        assertThat(log.failed()).isEqualTo(30);
        assertThat(log.written()).isZero();

        proxy.reset();
        ExposureLog healed = new ExposureLog(sink, new ExposureConfig(stream, 1_000, 100, 10), METERS);
        healed.record(exposure("after", "home", AT, "i1"));
        healed.close(Duration.ofSeconds(10));
        assertThat(healed.written()).isEqualTo(1);
        assertThat(direct.xrange(stream, "-", "+")).extracting(entry -> entry.getFields().get("recommendation_id"))
                .containsExactly("after");
    }

    static Exposure exposure(String id, String surface, Instant at, String... items) {
        return new Exposure(id, "u1", surface, null, null, List.of(items), Map.of(), at);
    }

    private static String unique(String prefix) {
        return "it-" + prefix + "-" + System.nanoTime();
    }
}
