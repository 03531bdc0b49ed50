package dev.braid.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Repeatable rankings: the same (model, user, surface) always gives the same items in the same order, on any machine.
 * Picks lean towards the start of the catalog (the popular end), so different simulated models overlap partly, as real
 * models do.
 */
public final class DeterministicRanking {
    /** One ranked item with a relevance between 0 and 1, best first. */
    public record Ranked(String itemId, double relevance) {
    }

    private DeterministicRanking() {
    }

    public static List<Ranked> rank(String model, String user, String surface, List<String> catalog, int count) {
        SplittableRandom random = new SplittableRandom(seed(model + "|" + user + "|" + surface));
        int wanted = Math.min(count, catalog.size());
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < wanted) {
            double u = random.nextDouble();
            chosen.add(catalog.get((int) (catalog.size() * u * u)));
        }
        List<Ranked> ranked = new ArrayList<>(wanted);
        int position = 0;
        for (String itemId : chosen) {
            ranked.add(new Ranked(itemId, Math.exp(-position / 15.0)));
            position++;
        }
        return ranked;
    }

    /** Reorders {@code items} for a user, deterministically. */
    public static List<Ranked> rerank(String model, String user, List<String> items) {
        List<Ranked> scored = new ArrayList<>(items.size());
        for (String item : items) {
            SplittableRandom random = new SplittableRandom(seed(model + "|" + user + "|" + item));
            scored.add(new Ranked(item, random.nextDouble()));
        }
        scored.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
        return scored;
    }

    static long seed(String text) {
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() * 0x9E3779B97F4A7C15L;
    }
}
