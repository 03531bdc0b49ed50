package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import dev.braid.catalog.opensearch.OpenSearchCatalog;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.ProxiedCatalog;
import dev.braid.recommend.PopularItemsConfig;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The popular list from a real OpenSearch node, with the node taken away between refreshes. */
@ExtendWith(OpenSearchExtension.class)
class PopularItemsIT {
    private static final String ALIAS = "popular-it";
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(1000, 11);
    private static FaultProxy proxy;
    private static ProxiedCatalog fixture;
    private static OpenSearchCatalog catalog;

    @BeforeAll
    static void load(EmbeddedOpenSearch openSearch) {
        fixture = ProxiedCatalog.load(openSearch, ALIAS, ITEMS);
        proxy = fixture.proxy();
        catalog = fixture.catalog();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @AfterEach
    void heal() {
        proxy.reset();
    }

    @Test
    void inStockItemsByPopularityThenItemId() {
        PopularItems popular = new PopularItems(catalog, new PopularItemsConfig(1000, Duration.ofMinutes(1),
                                                                                Duration.ofSeconds(5)));
        assertThat(popular.current()).isEmpty();

        assertThat(popular.refreshNow()).isTrue();

        // The index stores popularity as a float: ties are decided among the float values, then by item id as a keyword.
        List<String> expected = ITEMS.stream().filter(DemoCatalog.Item::inStock)
                .sorted(Comparator.comparingDouble((DemoCatalog.Item item) -> (float) item.popularity()).reversed()
                                .thenComparing(DemoCatalog.Item::itemId))
                .map(DemoCatalog.Item::itemId).toList();
        assertThat(expected).hasSizeLessThan(ITEMS.size());
        assertThat(popular.current()).containsExactlyElementsOf(expected);
    }

    @Test
    void aFailedRefreshKeepsTheLastList() {
        PopularItems popular = new PopularItems(catalog, new PopularItemsConfig(20, Duration.ofMinutes(1),
                                                                                Duration.ofSeconds(5)));
        assertThat(popular.refreshNow()).isTrue();
        List<String> before = popular.current();
        assertThat(before).hasSize(20);

        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        assertThat(popular.refreshNow()).isFalse();
        assertThat(popular.current()).isSameAs(before);
    }

    @Test
    void theBackgroundThreadRefreshesEveryIntervalUntilClosed() throws Exception {
        BlockingQueue<Duration> pauses = new LinkedBlockingQueue<>();
        SynchronousQueue<Boolean> resume = new SynchronousQueue<>();
        // Each pause reports itself and waits for the test: the test decides when the next refresh runs.
        PopularItems popular = new PopularItems(catalog, new PopularItemsConfig(10, Duration.ofMinutes(1), Duration.ofSeconds(5)),
                                                null, PopularItems.job("catalog"), java.time.Clock.systemUTC(),
                                                duration -> {
                                                    pauses.add(duration);
                                                    resume.take();
                                                });
        popular.start(Duration.ofSeconds(42));

        assertThat(pauses.poll(30, TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(42));
        List<String> first = popular.current();
        assertThat(first).hasSize(10);

        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        assertThat(resume.offer(true, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(42));
        assertThat(popular.current()).isSameAs(first);

        popular.close();
        // Closed: the thread left its pause and refreshes no more.
        assertThat(resume.offer(true, 200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(pauses).isEmpty();
    }
}
