package dev.braid.recommend.blend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.braid.catalog.CatalogItem;
import dev.braid.recommend.BlendSettings;

/**
 * The blend in two halves around hydration: {@link #merge} turns the sources' answers into one pool; after the pool's
 * items are hydrated, {@link #select} applies the business rules in order, diversifies with MMR down to the list size,
 * and caps categories.
 */
public final class Blender {
    private final Similarity similarity;
    private final MergeCandidates merger = new MergeCandidates();

    /** Diversity by {@link ItemSimilarity}. */
    public Blender() {
        this(new ItemSimilarity());
    }

    public Blender(Similarity similarity) {
        this.similarity = Objects.requireNonNull(similarity, "similarity");
    }

    /**
     * The blended list and how many candidates each filter removed.
     *
     * @param dropped per filter name, in filter order, every filter listed (0 when it removed nothing)
     */
    public record BlendResult(List<BlendCandidate> list, Map<String, Integer> dropped) {
        public BlendResult {
            list = List.copyOf(list);
            dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        }
    }

    /** The merged, not yet hydrated pool, best first: see {@link MergeCandidates#merge}. */
    public List<BlendCandidate> merge(List<Contribution> contributions, BlendSettings settings) {
        return merger.merge(contributions, Normalizer.of(settings.normalization()), settings.corroboration());
    }

    /** The business rules in order: what they kept, and how many each removed. */
    public BlendResult filter(List<BlendCandidate> hydratedPool, List<CandidateFilter> rules) {
        List<BlendCandidate> pool = hydratedPool;
        Map<String, Integer> dropped = new LinkedHashMap<>();
        for (CandidateFilter rule : rules) {
            FilterResult result = rule.apply(pool);
            dropped.merge(rule.name(), result.removed().size(), Integer::sum);
            pool = result.kept();
        }
        return new BlendResult(pool, dropped);
    }

    /**
     * MMR down to {@code settings.listSize()}, then the category cap: for a pool already filtered (and perhaps
     * re-ranked, which happens between the two).
     */
    public List<BlendCandidate> diversify(List<BlendCandidate> ranked, BlendSettings settings) {
        List<BlendCandidate> diverse = new Mmr(settings.mmrLambda(), similarity).select(ranked, settings.listSize());
        return new CapPerCategory(settings.categoryCap(), settings.capWindow()).apply(diverse);
    }

    /**
     * 1 − the mean similarity of all pairs in the list (0 for fewer than 2 items): 0 when every item is interchangeable,
     * 1 when no two are alike. For a quality histogram of served lists.
     */
    public static double intraListDiversity(List<CatalogItem> items, Similarity similarity) {
        int n = items.size();
        if (n < 2) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sum += similarity.between(items.get(i), items.get(j));
            }
        }
        double pairs = n * (n - 1) / 2.0;
        return 1 - sum / pairs;
    }
}
