package dev.braid.recommend;

import java.util.Map;
import java.util.StringJoiner;

/**
 * The cache key of a finished list: everything the list depends on. A signed-in user's own key (with their cache
 * generation, which events bump), or the anonymous segment (country, language); the surface; the page-size bucket;
 * and the model version each of the plan's sources last answered with, so a model deploy changes the key instead of
 * needing a flush.
 */
final class CacheKeys {
    /** Lists are kept for pages (n plus exclusions) of at most this many items; larger ones are made each time. */
    static final int LARGEST_PAGE = 200;
    private static final int[] PAGES = {10, 20, 50, 100, LARGEST_PAGE};

    private CacheKeys() {
    }

    /** The smallest page bucket that holds {@code wanted} items. */
    static int page(int wanted) {
        for (int page : PAGES) {
            if (wanted <= page) {
                return page;
            }
        }
        throw new IllegalArgumentException("more than " + LARGEST_PAGE + " items are not cached");
    }

    static String key(SurfacePlan plan, RecommendationRequest request, long generation,
                      Map<SourceId, String> latestVersions) {
        StringJoiner key = new StringJoiner("|").add(plan.name());
        if (request.anonymous()) {
            key.add("anon").add(orDash(request.country())).add(orDash(request.language()));
        } else {
            key.add("user:" + request.user()).add("gen:" + generation);
        }
        key.add("n:" + request.n());
        StringJoiner versions = new StringJoiner(",", "models:", "");
        plan.sources().forEach(planned -> versions.add(planned.source().name() + "="
                                                        + orDash(latestVersions.get(planned.source()))));
        return key.add(versions.toString()).toString();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
