package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.braid.catalog.CatalogItem;

/**
 * Step 6 of the blend: the reasons an item is shown, derived from how it got into the list — each source's kind of
 * explanation, made concrete with the item's own metadata ("popular in Shoes") or the item it resembles ("because you
 * viewed Trail Runner") — and a source's own words (a promotion's name) before them. Reasons repeat nowhere in a list
 * item, and there are at most {@link #MAX_REASONS}.
 */
public final class ExplainReasons {
    public static final int MAX_REASONS = 3;

    /**
     * @param known catalog items by id: the candidate's anchors are looked up here for their titles
     */
    public List<String> reasons(BlendCandidate candidate, Map<String, CatalogItem> known) {
        Set<String> reasons = new LinkedHashSet<>();
        for (Evidence evidence : candidate.evidence()) {
            if (evidence.stated() != null && !evidence.stated().isBlank()) {
                reasons.add(evidence.stated().strip());
            }
        }
        for (Evidence evidence : candidate.evidence()) {
            reasons.add(derived(evidence, candidate.category(), known));
        }
        List<String> listed = new ArrayList<>(reasons);
        return listed.size() > MAX_REASONS ? List.copyOf(listed.subList(0, MAX_REASONS)) : List.copyOf(listed);
    }

    private static String derived(Evidence evidence, String category, Map<String, CatalogItem> known) {
        return switch (evidence.explanation()) {
            case FOR_YOU -> "recommended for you";
            case TRENDING -> category == null ? "trending now" : "trending in " + display(category);
            case POPULAR -> popular(category);
            case SIMILAR -> {
                CatalogItem anchor = evidence.anchor() == null ? null : known.get(evidence.anchor());
                if (anchor != null && anchor.title() != null && !anchor.title().isBlank()) {
                    yield "because you viewed " + anchor.title();
                }
                // Without an item it resembles, a content source proposed what is popular.
                yield evidence.anchor() == null ? popular(category) : "similar to items you viewed";
            }
            case EDITORIAL -> "editor's pick";
        };
    }

    private static String popular(String category) {
        return category == null ? "popular right now" : "popular in " + display(category);
    }

    /** Catalog categories are often lower-case keys ("running-shoes"); a sentence shows them capitalized. */
    private static String display(String category) {
        String words = category.replace('-', ' ').replace('_', ' ').strip();
        return words.isEmpty() ? category : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
