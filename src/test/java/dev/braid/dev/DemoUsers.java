package dev.braid.dev;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Demo users {@code u1..uN} with interaction histories: each user favours two or three categories, and most of what
 * they viewed, clicked, carted and bought lies there. Deterministic per seed.
 */
public final class DemoUsers {
    public static final int DEFAULT_USERS = 200;
    private static final List<String> TYPES = List.of("impression", "click", "add_to_cart", "purchase", "rating");

    /** One past interaction. */
    public record Interaction(String user, String itemId, String type, double value, Instant at) {
    }

    private DemoUsers() {
    }

    public static List<Interaction> generate(List<DemoCatalog.Item> catalog, int users, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, List<DemoCatalog.Item>> byCategory = catalog.stream()
                .collect(Collectors.groupingBy(DemoCatalog.Item::category));
        List<String> categories = new ArrayList<>(byCategory.keySet());
        categories.sort(Comparator.naturalOrder());
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            String user = "u" + u;
            List<String> favourites = List.of(categories.get(random.nextInt(categories.size())),
                                              categories.get(random.nextInt(categories.size())),
                                              categories.get(random.nextInt(categories.size())));
            int events = 10 + random.nextInt(50);
            for (int e = 0; e < events; e++) {
                boolean favourite = random.nextInt(100) < 80;
                List<DemoCatalog.Item> pool = byCategory.get(favourite ? favourites.get(random.nextInt(favourites.size()))
                                                                        : categories.get(random.nextInt(categories.size())));
                DemoCatalog.Item item = pool.get(random.nextInt(pool.size()));
                String type = type(random);
                double value = type.equals("rating") ? 1 + random.nextInt(5) : 1;
                Instant at = DemoCatalog.EPOCH.minus(random.nextInt(30 * 24 * 60), ChronoUnit.MINUTES);
                interactions.add(new Interaction(user, item.itemId(), type, value, at));
            }
        }
        interactions.sort(Comparator.comparing(Interaction::user).thenComparing(Interaction::at, Comparator.reverseOrder()));
        return interactions;
    }

    /** Views dominate, purchases are rare: the funnel of a real shop. */
    private static String type(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return TYPES.get(0);
        } else if (roll < 85) {
            return TYPES.get(1);
        } else if (roll < 93) {
            return TYPES.get(2);
        } else if (roll < 97) {
            return TYPES.get(3);
        }
        return TYPES.get(4);
    }
}
