package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static dev.braid.recommend.blend.Pools.bare;
import static dev.braid.recommend.blend.Pools.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapPerCategoryTest {

    @Test
    void itemsOverTheCapMoveDown() {
        // max 2 per 4 positions. a1 a2 fill the cap; a3 cannot be 3rd (a1 a2 in the window) → b1; 4th: window a1 a2 b1
        // still has two a's → c1; 5th: window a2 b1 c1 has one a → a3.
        List<BlendCandidate> ranked = List.of(cat("a1", "a"), cat("a2", "a"), cat("a3", "a"), cat("b1", "b"), cat("c1", "c"));

        assertThat(ids(new CapPerCategory(2, 4).apply(ranked))).containsExactly("a1", "a2", "b1", "c1", "a3");
    }

    @Test
    void noTwoNeighboursOfOneCategory() {
        List<BlendCandidate> ranked = List.of(cat("a1", "a"), cat("a2", "a"), cat("b1", "b"), cat("b2", "b"));

        assertThat(ids(new CapPerCategory(1, 2).apply(ranked))).containsExactly("a1", "b1", "a2", "b2");
    }

    @Test
    void theCapYieldsWhenNothingElseRemains() {
        // a1 b1 a2 a3 a4 with max 1 per 2: a1 b1 a2, then only a's remain: best first, never dropped.
        List<BlendCandidate> ranked = List.of(cat("a1", "a"), cat("a2", "a"), cat("a3", "a"), cat("b1", "b"), cat("a4", "a"));

        assertThat(ids(new CapPerCategory(1, 2).apply(ranked))).containsExactly("a1", "b1", "a2", "a3", "a4");
    }

    @Test
    void zeroTurnsTheCapOff() {
        List<BlendCandidate> ranked = List.of(cat("a1", "a"), cat("a2", "a"), cat("a3", "a"), cat("b1", "b"));

        assertThat(new CapPerCategory(0, 10).apply(ranked)).containsExactlyElementsOf(ranked);
    }

    @Test
    void itemsWithoutACategoryAreNeverCapped() {
        BlendCandidate unknown = bare("unknown", 1);
        BlendCandidate uncategorized = item("plain", 1, null, "x");
        List<BlendCandidate> ranked = List.of(cat("a1", "a"), cat("a2", "a"), unknown, uncategorized);

        assertThat(ids(new CapPerCategory(1, 2).apply(ranked))).containsExactly("a1", "unknown", "a2", "plain");
        assertThatThrownBy(() -> new CapPerCategory(-1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapPerCategory(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Over random lists: nothing is lost, each category keeps its order, and a window exceeds the cap only where every
     * item still to place was of a category already at the cap there (the cap had to yield).
     */
    @Test
    void everyWindowRespectsTheCapWheneverAnotherCategoryRemains() {
        Random random = new Random(20_260_101);
        String[] categories = {"shoes", "bags", "coats", "hats", "socks", null};
        for (int run = 0; run < 2_000; run++) {
            int max = 1 + random.nextInt(3);
            int window = max + 1 + random.nextInt(8);
            int size = random.nextInt(60);
            List<BlendCandidate> ranked = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                // Skewed: the first category dominates, as a page of one model's favourites does.
                String category = random.nextInt(3) == 0 ? categories[random.nextInt(categories.length)] : categories[0];
                ranked.add(category == null ? bare("i" + i, 1) : item("i" + i, 1, category, "b"));
            }

            List<BlendCandidate> capped = new CapPerCategory(max, window).apply(ranked);

            assertThat(capped).containsExactlyInAnyOrderElementsOf(ranked);
            for (String category : categories) {
                assertThat(capped.stream().filter(c -> Objects.equals(c.category(), category)).toList())
                        .as("order within %s", category)
                        .containsExactlyElementsOf(ranked.stream().filter(c -> Objects.equals(c.category(), category))
                                                           .toList());
            }
            for (int p = 0; p < capped.size(); p++) {
                Map<String, Integer> before = countsBefore(capped, p, window);
                String category = capped.get(p).category();
                if (category != null && before.getOrDefault(category, 0) >= max) {
                    for (BlendCandidate later : capped.subList(p, capped.size())) {
                        assertThat(later.category())
                                .as("run %d: position %d breaks the cap %d/%d while %s could have taken it", run, p, max,
                                    window, later.itemId())
                                .isNotNull();
                        assertThat(before.getOrDefault(later.category(), 0)).isGreaterThanOrEqualTo(max);
                    }
                }
            }
        }
    }

    /** Category counts over the {@code window − 1} positions before {@code p}. */
    private static Map<String, Integer> countsBefore(List<BlendCandidate> list, int p, int window) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = Math.max(0, p - window + 1); i < p; i++) {
            if (list.get(i).category() != null) {
                counts.merge(list.get(i).category(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static BlendCandidate cat(String id, String category) {
        return item(id, 1, category, "brand");
    }

    private static List<String> ids(List<BlendCandidate> list) {
        return list.stream().map(BlendCandidate::itemId).toList();
    }
}
