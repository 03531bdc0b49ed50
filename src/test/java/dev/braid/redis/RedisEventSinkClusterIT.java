package dev.braid.redis;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.braid.catalog.CatalogItem;
import dev.braid.events.Claim;
import dev.braid.events.Commit;
import dev.braid.events.Event;
import dev.braid.events.EventBatch;
import dev.braid.events.EventEffects;
import dev.braid.events.EventType;
import dev.braid.events.IdempotencyKey;
import dev.braid.events.StoredAnswer;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.RedisClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event sink on a 3-node Redis Cluster: a batch whose users live on every node is applied per hash slot, each part
 * once with its record; with an idempotency key, duplicates and concurrent requests apply it once, and a request that
 * applied every part but never marked its key done (it crashed in between) is completed by the retry without any part
 * applied twice.
 */
@ExtendWith(RedisClusterExtension.class)
class RedisEventSinkClusterIT {
    private static final Map<String, CatalogItem> CATALOG = Map.of(
            "esc-shoe", new CatalogItem("esc-shoe", "Shoe", "shoes", "Acme", BigDecimal.TEN, true));
    private static final StoredAnswer ANSWER = new StoredAnswer(202, "{\"accepted\":6}");

    private static UnifiedJedis client;
    private static RedisEventSink sink;

    @BeforeAll
    static void connect(EmbeddedRedisCluster cluster) {
        client = RedisClients.create(new RedisConfig(URI.create("redis://unused:6379"), cluster.nodes(),
                                                     Duration.ofMillis(500), 8, Duration.ofMillis(500)));
        sink = new RedisEventSink(client, true);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aBatchWithoutAKeyIsAppliedOnEveryNode() {
        List<String> users = usersOnEveryNode();

        assertThat(sink.apply(effects(users), Commit.anonymous(UUID.randomUUID().toString()))).isTrue();

        users.forEach(user -> assertThat(client.get(RedisSharedStore.generationKey(user))).as(user).isEqualTo("1"));
        assertThat(client.zscore(RedisEventSink.TRENDING, "esc-shoe")).isPositive();
    }

    @Test
    void withAKeyASecondRequestReplaysAndNothingIsAppliedTwice() {
        List<String> users = usersOnEveryNode();
        IdempotencyKey key = new IdempotencyKey("a:10.0.0.1", UUID.randomUUID().toString());

        assertThat(applyOnce(key, users)).isTrue();
        Claim again = sink.claim(key, "fp");

        assertThat(again).isEqualTo(new Claim.Replay(ANSWER));
        assertThat(sink.claim(key, "another-fp")).isInstanceOf(Claim.Mismatch.class);
        users.forEach(user -> assertThat(client.get(RedisSharedStore.generationKey(user))).as(user).isEqualTo("1"));
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyApplyTheBatchOnce() throws Exception {
        List<String> users = usersOnEveryNode();
        IdempotencyKey key = new IdempotencyKey("a:10.0.0.2", UUID.randomUUID().toString());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return applyOnce(key, users);
                }));
            }
            go.countDown();
        }
        int applied = 0;
        for (Future<Boolean> result : results) {
            applied += result.get() ? 1 : 0;
        }

        assertThat(applied).isEqualTo(1);
        users.forEach(user -> assertThat(client.get(RedisSharedStore.generationKey(user))).as(user).isEqualTo("1"));
    }

    @Test
    void aRequestThatCrashedAfterItsPartsIsCompletedByTheRetryWithoutApplyingAnyPartTwice() {
        List<String> users = usersOnEveryNode();
        IdempotencyKey key = new IdempotencyKey("a:10.0.0.3", UUID.randomUUID().toString());
        Claim.Claimed first = (Claim.Claimed) sink.claim(key, "fp");
        EventEffects effects = effects(users);
        assertThat(sink.apply(effects, new Commit(key, first.token(), ANSWER, first.storeMicros() + 10_000_000L)))
                .isTrue();
        // As if the request had died after its parts and before marking its key done: the lock expired.
        client.del(RedisEventSink.recordKey(key));
        // The parts keep their records, so the retry finds them applied.
        users.forEach(user -> assertThat(client.hget(RedisEventSink.partRecord(user, RedisEventSink.partId(key)), "state"))
                .as(user).isEqualTo("done"));

        Claim.Claimed retry = (Claim.Claimed) sink.claim(key, "fp");
        assertThat(sink.apply(effects, new Commit(key, retry.token(), ANSWER, retry.storeMicros() + 10_000_000L)))
                .isTrue();

        assertThat(sink.claim(key, "fp")).isEqualTo(new Claim.Replay(ANSWER));
        users.forEach(user -> {
            assertThat(client.get(RedisSharedStore.generationKey(user))).as(user).isEqualTo("1");
            assertThat(client.llen(HistoryEntries.key(user))).as(user).isEqualTo(2);
        });
    }

    /** Claims, applies and finishes, as one request with {@code key} would; false when another request had the key. */
    private static boolean applyOnce(IdempotencyKey key, List<String> users) {
        return switch (sink.claim(key, "fp")) {
            case Claim.Claimed claimed -> sink.apply(effects(users), new Commit(key, claimed.token(), ANSWER,
                                                                               claimed.storeMicros() + 10_000_000L));
            case Claim.Replay ignored -> false;
            case Claim.InFlight ignored -> false;
            case Claim.Mismatch ignored -> throw new AssertionError("same fingerprint");
        };
    }

    private static EventEffects effects(List<String> users) {
        Instant ts = Instant.now().minusSeconds(30);
        List<Event> events = new ArrayList<>();
        for (String user : users) {
            events.add(new Event(user, "esc-shoe", EventType.CLICK, ts, null, null));
            events.add(new Event(user, "esc-shoe", EventType.PURCHASE, ts, null, null));
        }
        return EventEffects.of(new EventBatch(events), CATALOG);
    }

    /** Users whose hash tags fall on each of the three nodes (slots split evenly, in order), two per node. */
    private static List<String> usersOnEveryNode() {
        List<String> users = new ArrayList<>();
        int[] perNode = new int[3];
        Set<Integer> full = new HashSet<>();
        for (int i = 0; full.size() < 3; i++) {
            String user = "esc-" + System.nanoTime() + "-" + i;
            int node = JedisClusterCRC16.getSlot(user) * 3 / EmbeddedRedisCluster.SLOTS;
            if (perNode[node] < 2) {
                perNode[node]++;
                users.add(user);
                if (perNode[node] == 2) {
                    full.add(node);
                }
            }
        }
        return users;
    }
}
