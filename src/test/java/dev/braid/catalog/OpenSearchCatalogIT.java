package dev.braid.catalog;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.OpenSearchClients;
import dev.braid.catalog.opensearch.OpenSearchCatalog;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.resilience.Deadline;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch.OpenSearchClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production catalog client against a real node, with faults injected between them. */
@ExtendWith(OpenSearchExtension.class)
class OpenSearchCatalogIT {
    private static final String ALIAS = "catalog-it";
    private static FaultProxy proxy;
    private static OpenSearchClient client;
    private static Catalog catalog;

    @BeforeAll
    static void load(EmbeddedOpenSearch openSearch) throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), ALIAS, DemoCatalog.generate(300, 7));

        proxy = FaultProxy.start("opensearch", new InetSocketAddress("127.0.0.1", openSearch.httpPort()), 0);
        client = OpenSearchClients.create(config(URI.create("http://127.0.0.1:" + proxy.port())));
        catalog = new OpenSearchCatalog(client, new CatalogConfig(ALIAS, Duration.ofMillis(500)));
    }

    @AfterAll
    static void close() throws Exception {
        client._transport().close();
        proxy.close();
    }

    @AfterEach
    void heal() {
        proxy.reset();
    }

    @Test
    void oneLookupReturnsTheKnownItemsWithTheRenderedFields() {
        Map<String, CatalogItem> items = catalog.items(List.of("i1", "i2", "no-such-item"), Deadline.after(Duration.ofSeconds(5)));

        assertThat(items).containsOnlyKeys("i1", "i2");
        DemoCatalog.Item expected = DemoCatalog.generate(300, 7).getFirst();
        CatalogItem i1 = items.get("i1");
        assertThat(i1.title()).isEqualTo(expected.title());
        assertThat(i1.category()).isEqualTo(expected.category());
        assertThat(i1.brand()).isEqualTo(expected.brand());
        assertThat(i1.price().doubleValue()).isEqualTo(expected.price());
    }

    @Test
    void aHungClusterCostsAtMostTheDeadline() {
        proxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        long started = System.nanoTime();
        assertThatThrownBy(() -> catalog.items(List.of("i1"), Deadline.after(Duration.ofMillis(150))))
                .isInstanceOf(CatalogUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aDownClusterIsUnavailableAndItsReturnIsNoticed() {
        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> catalog.items(List.of("i1"), Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(CatalogUnavailableException.class);
        proxy.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(catalog.items(List.of("i3"), Deadline.after(Duration.ofSeconds(5)))).containsOnlyKeys("i3");
    }

    @Test
    void resetConnectionsAreUnavailableNotACrash() {
        proxy.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> catalog.items(List.of("i1"), Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(CatalogUnavailableException.class);
    }

    private static OpenSearchConfig config(URI url) {
        return new OpenSearchConfig(url, "", "", new HttpClientConfig(Duration.ofMillis(500), Duration.ofSeconds(10), 8,
                                                                      Duration.ofMillis(200)));
    }
}
