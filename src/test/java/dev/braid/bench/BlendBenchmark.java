package dev.braid.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.Embedding;
import dev.braid.recommend.BlendSettings;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.blend.BlendCandidate;
import dev.braid.recommend.blend.Blender;
import dev.braid.recommend.blend.CandidateFilter;
import dev.braid.recommend.blend.Contribution;
import dev.braid.recommend.blend.DropOutOfStock;
import dev.braid.recommend.blend.DropPurchased;
import dev.braid.recommend.blend.DropUnknownItems;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request's blend after the fan-out: 4 sources × 100 candidates over a catalog of 250 items (so they overlap, the
 * popular items most), each with its own kind of score — Personalize's probabilities, a model's logits, trending counts
 * and a rank-only similar-items source with SKU ids mapped to catalog ids. Then hydration (a map lookup standing in for
 * the cache), the four business rules, MMR down to the list size and the category cap.
 * {@code similarity}: {@code metadata} compares by category and brand, {@code embeddings-64} by 64-dimension vectors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class BlendBenchmark {
    private static final int CATALOG = 250;
    private static final int PER_SOURCE = 100;
    private static final int DIMENSIONS = 64;
    private static final String[] CATEGORIES = {"shoes", "jackets", "bags", "hats", "socks", "shirts", "pants",
                                                "watches", "belts", "scarves", "gloves", "sunglasses"};

    @Param({"20", "100"})
    public int listSize;

    @Param({"metadata", "embeddings-64"})
    public String similarity;

    private List<Contribution> contributions;
    private Map<String, CatalogItem> catalog;
    private List<CandidateFilter> rules;
    private BlendSettings settings;
    private final Blender blender = new Blender();

    @Setup
    public void setUp() {
        Random random = new Random(42);
        boolean embeddings = similarity.equals("embeddings-64");
        float[][] centroids = new float[CATEGORIES.length][DIMENSIONS];
        for (float[] centroid : centroids) {
            for (int d = 0; d < DIMENSIONS; d++) {
                centroid[d] = (float) random.nextGaussian();
            }
        }
        catalog = new HashMap<>();
        for (int i = 0; i < CATALOG; i++) {
            if (i % 50 == 49) {
                continue; // 2% the catalog does not know (deleted since the model was trained)
            }
            // Skewed like a real shop: the first categories hold most items.
            int category = Math.min(CATEGORIES.length - 1, (int) Math.abs(random.nextGaussian() * 4));
            Embedding embedding = null;
            if (embeddings) {
                float[] values = new float[DIMENSIONS];
                for (int d = 0; d < DIMENSIONS; d++) {
                    values[d] = centroids[category][d] + (float) random.nextGaussian() * 0.8f;
                }
                embedding = new Embedding(values);
            }
            catalog.put(id(i), new CatalogItem(id(i), "Item " + i, CATEGORIES[category], "brand-" + random.nextInt(30),
                                               BigDecimal.valueOf(10 + random.nextInt(200)), random.nextInt(20) != 0,
                                               embedding));
        }
        contributions = List.of(
                source("personalize", 1.0, Explanation.FOR_YOU, random, rank -> 0.05 * Math.exp(-rank / 30.0), false),
                source("databricks", 0.8, Explanation.FOR_YOU, random, rank -> 4.0 - rank * 0.05, false),
                source("trending", 0.5, Explanation.TRENDING, random, rank -> Math.floor(5_000.0 / (rank + 1)), false),
                source("similar", 0.6, Explanation.SIMILAR, random, rank -> Double.NaN, true));
        rules = List.of(new DropPurchased(Set.of(id(1), id(3), id(8), id(17), id(40), id(77), id(120), id(200))),
                        new DropUnknownItems(), new DropOutOfStock());
        settings = new BlendSettings(BlendSettings.DEFAULTS.normalization(), 0.2, 0.7, 3, 10, listSize);
    }

    @Benchmark
    public List<BlendCandidate> blend() {
        List<BlendCandidate> pool = blender.merge(contributions, settings);
        List<BlendCandidate> hydrated = new ArrayList<>(pool.size());
        for (BlendCandidate candidate : pool) {
            hydrated.add(candidate.withDetails(catalog.get(candidate.itemId())));
        }
        return blender.diversify(blender.filter(hydrated, rules).list(), settings);
    }

    private interface Scores {
        double at(int rank);
    }

    /** 100 distinct items, popular ones (low ids) more likely, in the source's order with its kind of score. */
    private static Contribution source(String name, double weight, Explanation explanation, Random random, Scores scores,
                                       boolean skus) {
        Set<Integer> picked = new LinkedHashSet<>();
        while (picked.size() < PER_SOURCE) {
            picked.add((int) Math.min(CATALOG - 1, Math.abs(random.nextGaussian() * CATALOG / 2.0)));
        }
        List<Candidate> candidates = new ArrayList<>();
        int rank = 0;
        for (int item : picked) {
            String id = skus ? "sku-" + id(item) : id(item);
            candidates.add(new Candidate(id, scores.at(rank), null, skus ? id(random.nextInt(CATALOG)) : null));
            rank++;
        }
        return new Contribution(SourceId.of(name), candidates, weight, explanation,
                                skus ? sku -> sku.substring(4) : id -> id);
    }

    private static String id(int item) {
        return "i" + item;
    }
}
