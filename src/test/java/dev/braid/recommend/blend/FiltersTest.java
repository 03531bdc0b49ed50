package dev.braid.recommend.blend;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.bare;
import static dev.braid.recommend.blend.Pools.catalog;
import static dev.braid.recommend.blend.Pools.item;
import static org.assertj.core.api.Assertions.assertThat;

class FiltersTest {
    private final BlendCandidate shoe = item("shoe", 0.9, "shoes", "acme");
    private final BlendCandidate bag = item("bag", 0.8, "bags", "acme");
    private final BlendCandidate soldOut = bare("sold-out", 0.7).withDetails(catalog("sold-out", "hats", "b", false, null));
    private final BlendCandidate unknown = bare("unknown", 0.6);
    private final BlendCandidate coat = item("coat", 0.5, "coats", "zed");
    private final List<BlendCandidate> pool = List.of(shoe, bag, soldOut, unknown, coat);

    @Test
    void dropPurchasedRemovesWhatTheUserBought() {
        FilterResult result = new DropPurchased(Set.of("shoe")).apply(pool);

        assertThat(result.kept()).containsExactly(bag, soldOut, unknown, coat);
        assertThat(result.removed()).containsExactly(shoe);
        assertThat(new DropPurchased(Set.of()).name()).isEqualTo("purchased");
    }

    @Test
    void dropOutOfStockRemovesOnlyHydratedItemsOutOfStock() {
        FilterResult result = new DropOutOfStock().apply(pool);

        assertThat(result.kept()).containsExactly(shoe, bag, unknown, coat);
        assertThat(result.removed()).containsExactly(soldOut);
        assertThat(new DropOutOfStock().name()).isEqualTo("out_of_stock");
    }

    @Test
    void dropUnknownItemsRemovesWhatTheCatalogCouldNotHydrate() {
        FilterResult result = new DropUnknownItems().apply(pool);

        assertThat(result.kept()).containsExactly(shoe, bag, soldOut, coat);
        assertThat(result.removed()).containsExactly(unknown);
        assertThat(new DropUnknownItems().name()).isEqualTo("missing_metadata");
    }
}
