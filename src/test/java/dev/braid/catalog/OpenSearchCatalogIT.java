package dev.braid.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.dev.DemoCatalog;
import dev.braid.dev.ProxiedCatalog;
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
import org.opensearch.client.opensearch._types.Refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production catalog client against a real node, with faults injected between them. */
@ExtendWith(OpenSearchExtension.class)
class OpenSearchCatalogIT {
    private static final String ALIAS = "catalog-it";
    private static FaultProxy proxy;
    private static ProxiedCatalog fixture;
    private static Catalog catalog;

    @BeforeAll
    static void load(EmbeddedOpenSearch openSearch) {
        fixture = ProxiedCatalog.load(openSearch, ALIAS, DemoCatalog.generate(300, 7));
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
    void theDemoItemsComeBackWithTheirEmbeddings() {
        DemoCatalog.Item expected = DemoCatalog.generate(300, 7).get(1);

        CatalogItem i2 = catalog.items(List.of("i2"), Deadline.after(Duration.ofSeconds(5))).get("i2");

        assertThat(i2.embedding()).isEqualTo(new Embedding(expected.embedding()));
        assertThat(i2.embedding().dimensions()).isEqualTo(DemoCatalog.EMBEDDING_DIMENSIONS);
    }

    @Test
    void anItemIndexedWithAnEmbeddingComesBackWithItAndOneWithoutOrWithABadOneWithNone() throws Exception {
        index("emb-with", List.of(0.5, -0.25, 0.125));
        index("emb-without", null);
        index("emb-empty", List.of());
        index("emb-scalar", 0.5);

        Map<String, CatalogItem> items = catalog.items(List.of("emb-with", "emb-without", "emb-empty", "emb-scalar"),
                                                       Deadline.after(Duration.ofSeconds(5)));

        assertThat(items).containsOnlyKeys("emb-with", "emb-without", "emb-empty", "emb-scalar");
        assertThat(items.get("emb-with").embedding()).isEqualTo(new Embedding(new float[]{0.5f, -0.25f, 0.125f}));
        assertThat(items.get("emb-with").title()).isEqualTo("Item emb-with");
        assertThat(items.get("emb-without").embedding()).isNull();
        assertThat(items.get("emb-empty").embedding()).isNull();
        assertThat(items.get("emb-scalar").embedding()).as("a number is not a vector").isNull();
    }

    @Test
    void popularItemsCarryTheirEmbeddingsToo() {
        List<CatalogItem> popular = catalog.popular(5, Deadline.after(Duration.ofSeconds(5)));

        assertThat(popular).hasSize(5).allSatisfy(item -> assertThat(item.embedding()).isNotNull());
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

    /** A document of the index's mapping (which is strict), refreshed so a lookup sees it. */
    private static void index(String id, Object embedding) throws Exception {
        Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("item_id", id);
        document.put("title", "Item " + id);
        document.put("category", "test");
        document.put("brand", "Test");
        document.put("price", 1.0);
        document.put("in_stock", true);
        if (embedding != null) {
            document.put("embedding", embedding);
        }
        fixture.client().index(i -> i.index(ALIAS).id(id).document(document).refresh(Refresh.True));
    }
}
