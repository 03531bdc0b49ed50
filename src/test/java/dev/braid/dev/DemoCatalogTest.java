package dev.braid.dev;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.braid.catalog.Embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo catalog's embeddings mean something: diversity by cosine in bin/dev depends on it. */
class DemoCatalogTest {
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(2_000, 42);

    @Test
    void theSameSeedGivesTheSameEmbeddings() {
        List<DemoCatalog.Item> again = DemoCatalog.generate(2_000, 42);
        for (int i = 0; i < ITEMS.size(); i++) {
            assertThat(again.get(i).embedding()).isEqualTo(ITEMS.get(i).embedding());
        }
    }

    @Test
    void everyItemHasAUnitVectorOfSixteenDimensions() {
        assertThat(ITEMS).allSatisfy(item -> {
            assertThat(item.embedding()).hasSize(DemoCatalog.EMBEDDING_DIMENSIONS);
            double norm = 0;
            for (float value : item.embedding()) {
                norm += value * value;
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        });
    }

    @Test
    void itemsOfOneCategoryAreCloserToEachOtherThanToItemsOfAnother() {
        Map<String, List<Embedding>> byCategory = ITEMS.stream().collect(Collectors.groupingBy(
                DemoCatalog.Item::category, Collectors.mapping(item -> new Embedding(item.embedding()), Collectors.toList())));
        double within = 0;
        double across = 0;
        int withinPairs = 0;
        int acrossPairs = 0;
        // Each item against the next 50: enough pairs of both kinds, without 2 million cosines.
        for (int i = 0; i < ITEMS.size(); i++) {
            for (int j = i + 1; j < Math.min(ITEMS.size(), i + 50); j++) {
                double cosine = new Embedding(ITEMS.get(i).embedding()).cosine(new Embedding(ITEMS.get(j).embedding()));
                if (ITEMS.get(i).category().equals(ITEMS.get(j).category())) {
                    within += cosine;
                    withinPairs++;
                } else {
                    across += cosine;
                    acrossPairs++;
                }
            }
        }
        assertThat(byCategory).hasSize(DemoCatalog.CATEGORIES.size());
        // A centre of 16 unit normals (length about 4) plus noise of 0.35 per dimension (about 1.4): two items of one
        // category have a cosine near 16 / (16 + 16 * 0.35^2) = 0.89; random centres, near 0.
        assertThat(within / withinPairs).isGreaterThan(0.8);
        assertThat(Math.abs(across / acrossPairs)).isLessThan(0.2);
        // And every item is nearer its own category's items than any other category's, on average.
        for (DemoCatalog.Item item : ITEMS.subList(0, 200)) {
            Embedding own = new Embedding(item.embedding());
            Map<String, Double> mean = byCategory.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    entry -> entry.getValue().stream().mapToDouble(own::cosine).average().orElseThrow()));
            String nearest = mean.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            assertThat(nearest).as(item.itemId()).isEqualTo(item.category());
        }
    }
}
