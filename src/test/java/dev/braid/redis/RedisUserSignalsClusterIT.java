package dev.braid.redis;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.catalog.CatalogItem;
import dev.braid.events.Event;
import dev.braid.events.EventBatch;
import dev.braid.events.EventEffects;
import dev.braid.events.EventType;
import dev.braid.observe.BraidMeters;
import dev.braid.recommend.Signals;
import dev.braid.testing.EmbeddedRedisCluster;
import dev.braid.testing.RedisClusterExtension;

import io.helidon.metrics.api.Metrics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals on a 3-node Redis Cluster, written by the cluster's event sink and read through the client {@link RedisClients}
 * builds when {@code nodes} is set: a user's keys share a slot, so the one pipeline works on every node.
 */
@ExtendWith(RedisClusterExtension.class)
class RedisUserSignalsClusterIT {
    private static final Instant TS = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, CatalogItem> CATALOG = Map.of(
            "usc-shoe", new CatalogItem("usc-shoe", "Shoe", "shoes", "Acme", BigDecimal.TEN, true),
            "usc-bag", new CatalogItem("usc-bag", "Bag", "bags", "Acme", BigDecimal.TEN, true));

    private static UnifiedJedis client;

    @BeforeAll
    static void connect(EmbeddedRedisCluster cluster) {
        client = RedisClients.create(ClusterConfigs.of(cluster));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void usersOnEveryNodeReadBackWhatTheirEventsWrote() {
        List<String> users = usersOnEveryNode();
        List<Event> events = new ArrayList<>();
        for (String user : users) {
            events.add(new Event(user, "usc-shoe", EventType.CLICK, TS, null, null));
            events.add(new Event(user, "usc-bag", EventType.PURCHASE, TS.plusSeconds(1), null, null));
        }
        new RedisEventSink(client, true).apply(EventEffects.of(new EventBatch(events), CATALOG),
                                               dev.braid.events.Commit.anonymous(java.util.UUID.randomUUID().toString()));
        RedisUserSignals reader = new RedisUserSignals(client, 10, 5, RedisConfig.Breaker.DEFAULT,
                                                       new BraidMeters(Metrics.globalRegistry()), System::nanoTime);

        for (String user : users) {
            Signals signals = reader.of(user);
            assertThat(signals.known()).as(user).isTrue();
            assertThat(signals.recentItems()).as(user).containsExactly("usc-bag", "usc-shoe");
            assertThat(signals.topCategories()).as(user).containsExactly("bags", "shoes");
            assertThat(signals.purchased()).as(user).containsExactly("usc-bag");
        }
        assertThat(reader.of("usc-nobody-" + System.nanoTime()).cold()).isTrue();
        assertThat(reader.breakerState()).isEqualTo("closed");
    }

    /** One user whose hash tag falls on each of the three nodes (slots split evenly, in order). */
    private static List<String> usersOnEveryNode() {
        List<String> users = new ArrayList<>();
        Set<Integer> nodes = new HashSet<>();
        for (int i = 0; nodes.size() < 3; i++) {
            String user = "usc-" + System.nanoTime() + "-" + i;
            if (nodes.add(JedisClusterCRC16.getSlot(user) * 3 / EmbeddedRedisCluster.SLOTS)) {
                users.add(user);
            }
        }
        return users;
    }
}
