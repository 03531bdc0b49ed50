package dev.braid.redis;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.braid.catalog.CatalogItem;
import dev.braid.events.Event;
import dev.braid.events.EventBatch;
import dev.braid.events.EventEffects;
import dev.braid.events.EventType;
import dev.braid.observe.BraidMeters;
import dev.braid.recommend.Signals;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's signals from a real Redis, written by the real event sink, read through a {@link FaultProxy} that breaks the
 * connection on purpose.
 */
@ExtendWith(RedisExtension.class)
class RedisUserSignalsIT {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** A failed read costs the timeout, not more: asserted with room for a busy machine, still well under a second. */
    private static final Duration BOUND = TIMEOUT.plusMillis(400);
    private static final RedisConfig.Breaker BREAKER = new RedisConfig.Breaker(3, Duration.ofSeconds(2));
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    private static final Instant TS = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, CatalogItem> CATALOG = Map.of(
            "us-shoe", item("us-shoe", "shoes", "Acme"),
            "us-boot", item("us-boot", "shoes", "Fjord"),
            "us-bag", item("us-bag", "bags", "Acme"),
            "us-hat", item("us-hat", "hats", "Vela"));

    /** The readers' clock: real time plus what a test adds to let an open breaker's period pass without sleeping. */
    private static final AtomicLong skipped = new AtomicLong();
    private static final LongSupplier CLOCK = () -> System.nanoTime() + skipped.get();

    private static FaultProxy proxy;
    private static UnifiedJedis direct;
    private static UnifiedJedis client;
    private static RedisEventSink sink;

    @BeforeAll
    static void start(EmbeddedRedis redis) {
        direct = RedisClient.create(URI.create(redis.uri()));
        proxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        client = RedisClients.create(new RedisConfig(URI.create("redis://127.0.0.1:" + proxy.port()), List.of(), TIMEOUT,
                                                     4, Duration.ofMillis(50), BREAKER));
        sink = new RedisEventSink(direct, false);
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
    void aUserWrittenByTheEventSinkHasRecentItemsTopCategoriesAndPurchases() {
        apply(event("us-1", "us-shoe", EventType.CLICK, 0), event("us-1", "us-bag", EventType.PURCHASE, 60));

        Signals signals = signals(10, 5).of("us-1");

        assertThat(signals.known()).isTrue();
        assertThat(signals.cold()).isFalse();
        assertThat(signals.recentItems()).containsExactly("us-bag", "us-shoe");
        // bags: a purchase, 5; shoes: a click, 1.
        assertThat(signals.topCategories()).containsExactly("bags", "shoes");
        assertThat(signals.purchased()).containsExactly("us-bag");
    }

    @Test
    void aNewUserIsColdAndAnAnonymousVisitorUnknown() {
        RedisUserSignals reader = signals(10, 5);

        assertThat(reader.of("us-nobody")).satisfies(signals -> {
            assertThat(signals.known()).isTrue();
            assertThat(signals.cold()).isTrue();
        });
        assertThat(reader.of(null)).isEqualTo(Signals.unknown());
        assertThat(Signals.unknown().cold()).as("unknown is not new").isFalse();
    }

    @Test
    void historyIsDeduplicatedNewestFirstAndBothListsAreBounded() {
        apply(event("us-2", "us-shoe", EventType.CLICK, 0), event("us-2", "us-boot", EventType.CLICK, 10),
              event("us-2", "us-shoe", EventType.CLICK, 20), event("us-2", "us-hat", EventType.ADD_TO_CART, 30),
              event("us-2", "us-hat", EventType.CLICK, 40), event("us-2", "us-bag", EventType.PURCHASE, 50));

        Signals signals = signals(3, 2).of("us-2");

        // Newest first: bag, hat, hat, shoe, boot, shoe.
        assertThat(signals.recentItems()).containsExactly("us-bag", "us-hat", "us-shoe");
        // bags 5; hats 3 + 1 = 4; shoes 1 + 1 + 1 = 3: the third is cut.
        assertThat(signals.topCategories()).containsExactly("bags", "hats");
        assertThat(signals.purchased()).containsExactly("us-bag");
    }

    @Test
    void theSignalsAreOneRoundTrip() {
        apply(event("us-3", "us-shoe", EventType.PURCHASE, 0));
        RedisUserSignals reader = signals(10, 5);
        reader.of("us-3"); // warm: the pooled connection exists and has said hello
        long exchanges = proxy.exchanges();

        assertThat(reader.of("us-3").purchased()).containsExactly("us-shoe");

        assertThat(proxy.exchanges() - exchanges).as("request/response exchanges with Redis").isEqualTo(1);
    }

    @Test
    void aKeyOfAnotherTypeIsThatPartsEmptinessNotAnOutage() {
        apply(event("us-4", "us-boot", EventType.PURCHASE, 0));
        direct.del(HistoryEntries.key("us-4"));
        direct.set(HistoryEntries.key("us-4"), "oops");
        RedisUserSignals reader = signals(10, 5);
        long errors = count("error");

        for (int i = 0; i < BREAKER.failures() + 1; i++) {
            Signals signals = reader.of("us-4");
            assertThat(signals.known()).isTrue();
            assertThat(signals.recentItems()).isEmpty();
            assertThat(signals.topCategories()).containsExactly("shoes");
            assertThat(signals.purchased()).containsExactly("us-boot");
        }
        assertThat(reader.breakerState()).isEqualTo("closed");
        assertThat(count("error")).isEqualTo(errors);
    }

    @ParameterizedTest
    @EnumSource(value = FaultMode.class, names = {"DOWN", "HANG", "ERROR"})
    void aBrokenRedisIsUnknownWithinTheTimeoutAndCounted(FaultMode mode) {
        apply(event("us-5", "us-shoe", EventType.PURCHASE, 0));
        // A breaker that never opens: every read really goes to the broken connection.
        RedisUserSignals patient = new RedisUserSignals(client, 10, 5, new RedisConfig.Breaker(1_000, Duration.ofSeconds(2)),
                                                        METERS, CLOCK);
        assertThat(patient.of("us-5").known()).isTrue();
        long errors = count("error");
        proxy.mode(mode, Duration.ZERO, Duration.ZERO);

        assertThat(timed(() -> patient.of("us-5"))).isEqualTo(Signals.unknown());
        assertThat(timed(() -> patient.of("us-5"))).isEqualTo(Signals.unknown());

        assertThat(count("error")).isEqualTo(errors + 2);
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(patient.of("us-5").purchased()).containsExactly("us-shoe");
    }

    @ParameterizedTest
    @EnumSource(value = FaultMode.class, names = {"DOWN", "HANG"})
    void theBreakerOpensSoADeadRedisCostsNoNetworkAndAProbeFindsItBack(FaultMode mode) {
        apply(event("us-6", "us-hat", EventType.CLICK, 0));
        RedisUserSignals reader = signals(10, 5);
        assertThat(reader.of("us-6").recentItems()).containsExactly("us-hat");
        proxy.mode(mode, Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < BREAKER.failures(); i++) {
            assertThat(timed(() -> reader.of("us-6"))).isEqualTo(Signals.unknown());
        }
        assertThat(reader.breakerState()).isEqualTo("open");

        long connections = proxy.requests();
        long shortCircuits = count("short_circuit");
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(reader.of("us-6")).isEqualTo(Signals.unknown());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("100 short-circuited reads").isLessThan(BOUND);
        assertThat(proxy.requests()).as("connections attempted while open").isEqualTo(connections);
        assertThat(count("short_circuit")).isEqualTo(shortCircuits + 100);

        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(reader.of("us-6")).as("still open: its period has not passed").isEqualTo(Signals.unknown());
        skipped.addAndGet(BREAKER.openFor().toNanos());
        assertThat(reader.of("us-6").recentItems()).as("the probe finds Redis back").containsExactly("us-hat");
        assertThat(reader.breakerState()).isEqualTo("closed");
    }

    private static RedisUserSignals signals(int historySize, int categories) {
        return new RedisUserSignals(client, historySize, categories, BREAKER, METERS, CLOCK);
    }

    /** Through the real sink, as {@code POST /v1/events} writes them; the user's keys are cleared first. */
    private static void apply(Event... events) {
        String user = events[0].user();
        direct.del(HistoryEntries.key(user), RedisEventSink.purchasedKey(user), RedisUserAffinities.key(user, "category"),
                   RedisUserAffinities.key(user, "brand"));
        sink.apply(EventEffects.of(new EventBatch(List.of(events)), CATALOG),
                   dev.braid.events.Commit.anonymous(java.util.UUID.randomUUID().toString()));
    }

    private static Event event(String user, String item, EventType type, int secondsLater) {
        return new Event(user, item, type, TS.plusSeconds(secondsLater), null, null);
    }

    private static CatalogItem item(String id, String category, String brand) {
        return new CatalogItem(id, "title of " + id, category, brand, BigDecimal.TEN, true);
    }

    private static long count(String result) {
        return Metrics.globalRegistry().counter(BraidMeters.USER_SIGNALS, List.of(Tag.create("result", result)))
                .map(Counter::count).orElse(0L);
    }

    private static <T> T timed(Supplier<T> call) {
        long started = System.nanoTime();
        T result = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
        return result;
    }
}
