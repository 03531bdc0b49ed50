package dev.braid.recommend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * How one surface (home, pdp, cart, ...) is answered: which sources run, how they are weighed, and how long it may take.
 *
 * @param name          the surface, as in {@code ?surface=}
 * @param budget        the longest a request for this surface may take; a caller's X-Request-Timeout can only shorten it
 * @param candidates    how many candidates each source is asked for
 * @param sources       the sources, in the order they are reported
 * @param fallbackItems items served, in this order, when no source answered and nothing better is remembered
 * @param publicMaxAge  how long shared caches may keep an anonymous answer ({@code Cache-Control: public, max-age})
 * @param rerank        the source that re-orders the blended list for a signed-in user (Personalize's personalized
 *                      ranking), or {@code null}
 * @param blend         how the sources' candidates become one list (normalization, corroboration, diversity, caps,
 *                      the list's length), under {@code blend.*}
 * @param popularWeight the weight of the popular items that fill lists without personal signal (anonymous visitors,
 *                      users without history), next to the plan's sources
 */
public record SurfacePlan(String name, Duration budget, int candidates, List<PlannedSource> sources,
                          List<String> fallbackItems, Duration publicMaxAge, SourceId rerank, BlendSettings blend,
                          double popularWeight) {
    /** Fan-out is bounded: a plan with more sources than this is a configuration error. */
    public static final int MAX_SOURCES = 16;

    /**
     * One source in a plan.
     *
     * @param required     whether the answer is {@code partial} when this source does not contribute
     * @param loggedInOnly whether the source runs only for signed-in users (per-user models); anonymous requests skip it
     */
    public record PlannedSource(SourceId source, double weight, boolean required, boolean loggedInOnly) {
        public PlannedSource {
            Rule.check(weight >= 0 && Double.isFinite(weight), "weight", "must be a finite number >= 0 (was " + weight + ")");
        }

        static PlannedSource create(Settings node) {
            SourceId id = sourceId(node.name());
            return node.bind(() -> new PlannedSource(id, node.decimal("weight", 1.0), node.bool("required", true),
                                                     node.bool("logged-in-only", false)));
        }
    }

    public SurfacePlan {
        sources = List.copyOf(sources);
        fallbackItems = List.copyOf(fallbackItems);
        Rule.positive("budget", budget);
        Rule.check(budget.compareTo(Duration.ofSeconds(30)) <= 0, "budget", "must be at most 30s (was "
                   + Settings.format(budget) + ")");
        Rule.check(candidates >= 1 && candidates <= 500, "candidates", "must be 1..500 (was " + candidates + ")");
        Rule.check(!sources.isEmpty(), "sources", "must name at least one source");
        Rule.check(sources.size() <= MAX_SOURCES, "sources", "must name at most " + MAX_SOURCES + " sources (was "
                   + sources.size() + ")");
        Rule.check(!publicMaxAge.isNegative(), "public-max-age", "must not be negative");
        Rule.check(popularWeight >= 0 && Double.isFinite(popularWeight), "popular-weight",
                   "must be a finite number >= 0 (was " + popularWeight + ")");
    }

    public SurfacePlan(String name, Duration budget, int candidates, List<PlannedSource> sources,
                       List<String> fallbackItems, Duration publicMaxAge, SourceId rerank) {
        this(name, budget, candidates, sources, fallbackItems, publicMaxAge, rerank, BlendSettings.DEFAULTS, 0.5);
    }

    public static SurfacePlan create(Settings node) {
        return node.bind(() -> {
            List<PlannedSource> planned = new ArrayList<>();
            for (Map.Entry<String, Settings> entry : node.children("sources").entrySet()) {
                planned.add(PlannedSource.create(entry.getValue()));
            }
            return new SurfacePlan(node.name(),
                                   node.duration("budget", Duration.ofMillis(150)),
                                   node.integer("candidates", 100),
                                   planned,
                                   node.list("fallback-items", List.of()),
                                   node.duration("public-max-age", Duration.ofSeconds(30)),
                                   rerank(node.string("rerank", "")),
                                   BlendSettings.create(node.child("blend")),
                                   node.decimal("popular-weight", 0.5));
        });
    }

    private static SourceId rerank(String name) {
        if (name.isBlank()) {
            return null;
        }
        try {
            return SourceId.of(name.trim());
        } catch (IllegalArgumentException e) {
            Rule.check(false, "rerank", e.getMessage());
            return null;
        }
    }

    private static SourceId sourceId(String name) {
        try {
            return SourceId.of(name);
        } catch (IllegalArgumentException e) {
            throw new dev.braid.config.InvalidConfigException("sources." + name, e.getMessage());
        }
    }
}
