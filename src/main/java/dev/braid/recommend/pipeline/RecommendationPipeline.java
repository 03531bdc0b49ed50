package dev.braid.recommend.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.braid.cache.CacheConfig;
import dev.braid.cache.CacheOutcome;
import dev.braid.cache.CacheSpec;
import dev.braid.cache.Generations;
import dev.braid.cache.Lookup;
import dev.braid.cache.SingleFlight;
import dev.braid.cache.TieredCache;
import dev.braid.experiments.Assigner;
import dev.braid.experiments.Assignment;
import dev.braid.experiments.Exposure;
import dev.braid.experiments.ExposureLog;
import dev.braid.experiments.RecommendationIds;
import dev.braid.observe.BraidMeters;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.Degradation;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.RecommendationsConfig;
import dev.braid.recommend.SurfacePlan;
import dev.braid.recommend.UnknownSurfaceException;
import dev.braid.recommend.UserSignals;
import dev.braid.recommend.blend.Blender;
import dev.braid.recommend.blend.ItemSimilarity;
import dev.braid.token.InvalidCursorException;

/**
 * Answers one recommendation request with one page of a blended list: the request's experiment arm shapes the plan;
 * the list comes from the cache (or is made by {@link ListMaker}), or for a cursor from the very list the first page
 * was cut from; the page skips the request's exclusions; the exposure is logged off the request's path. Never fails
 * because a source, Redis or the catalog failed.
 */
public final class RecommendationPipeline {
    private static final long UNKNOWN_GENERATION = -1;
    /** One answer in this many has its diversity measured. */
    static final int DIVERSITY_SAMPLE = 16;

    private final RecommendationsConfig config;
    private final Map<String, SurfacePlan> plans;
    private final ListMaker maker;
    private final TieredCache<BlendedList> cache;
    private final Generations generations;
    private final Assigner assigner;
    private final RecommendationIds ids;
    private final ListCursorCodec cursors;
    private final ExposureLog exposures;
    private final UserSignals signals;
    private final Clock clock;
    private final BraidMeters meters;
    private final ItemSimilarity similarity = new ItemSimilarity();
    /** Lists being made for users whose generation cannot be read, by the key they would have under no generation. */
    private final SingleFlight<BlendedList> unknownGeneration = new SingleFlight<>();
    /** Off while the instance warms up: warm-up requests must reach the sources, not the lists they cached. */
    private volatile boolean caching;

    /**
     * @param cache where made lists are kept (under their key and their version), or {@code null} to make every list
     *              anew
     */
    public RecommendationPipeline(RecommendationsConfig config, Map<String, SurfacePlan> plans, ListMaker maker,
                           TieredCache<BlendedList> cache, Generations generations, Assigner assigner,
                           RecommendationIds ids, ListCursorCodec cursors, ExposureLog exposures,
                           UserSignals signals, Clock clock, BraidMeters meters) {
        this.config = config;
        this.plans = Map.copyOf(plans);
        this.maker = maker;
        this.cache = cache;
        this.generations = generations;
        this.assigner = assigner;
        this.ids = ids;
        this.cursors = cursors;
        this.exposures = exposures;
        this.signals = signals;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * The cache of made lists: full lists are fresh for the configured time, partial and empty ones only briefly, and
     * the default ranking (every source failed) is never kept: a stale list is served before it.
     */
    public static CacheSpec<BlendedList> cacheSpec(CacheConfig config) {
        return new CacheSpec<>("recommendations", config.recommendations(),
                               list -> list.partial() || list.items().isEmpty(),
                               list -> list.degraded() == Degradation.DEFAULT_RANKING, new BlendedListCodec());
    }

    /** From now on, made lists are cached (when a cache was given). */
    public void startCaching() {
        caching = cache != null;
    }

    public String defaultSurface() {
        return config.defaultSurface();
    }

    /** Whether an experiment assigns requests for {@code surface}: their answers then depend on who asks. */
    public boolean experimenting(String surface) {
        return assigner.running(surface);
    }

    /** The plan for a surface. */
    public SurfacePlan plan(String surface) {
        SurfacePlan plan = plans.get(surface);
        if (plan == null) {
            throw new UnknownSurfaceException(surface, plans.keySet().stream().sorted().toList());
        }
        return plan;
    }

    /**
     * @throws InvalidCursorException when the request's cursor was tampered with, expired, or issued for another user,
     *                                segment or surface
     */
    public Recommendations recommend(RecommendationRequest request) {
        SurfacePlan surface = plan(request.surface());
        Optional<Assignment> assignment = assigner.assign(surface.name(), request.experimentUnit());
        EffectivePlan plan = EffectivePlan.of(surface, assignment.orElse(null));
        ListCursor cursor = request.cursor() == null ? null
                                                     : cursors.decode(request.cursor(), CacheKeys.binding(request));
        Lookup<BlendedList> list = cursor == null ? current(plan, request) : continued(plan, request, cursor);
        int offset = cursor == null ? 0 : cursor.offset();
        // A later page comes from the list the first one was cut from, made before anything bought since: read again.
        Set<String> bought = cursor == null || request.anonymous() ? Set.of() : signals.of(request.user()).purchased();

        List<RankedItem> page = new ArrayList<>(request.n());
        List<RankedItem> items = list.value().items();
        int next = offset;
        while (next < items.size() && page.size() < request.n()) {
            RankedItem item = items.get(next++);
            if (!request.exclude().contains(item.itemId()) && !bought.contains(item.itemId())) {
                page.add(item);
            }
        }
        String nextCursor = next < items.size() ? cursors.encode(CacheKeys.binding(request), list.value().version(), next)
                                                : null;
        Degradation degraded = list.originFailed() ? Degradation.STALE : list.value().degraded();
        String recommendationId = ids.next(assignment, request.experimentUnit(),
                                           page.stream().map(RankedItem::itemId).toList());
        record(plan, request, recommendationId, page, list.value(), degraded);
        return new Recommendations(recommendationId, request, page, list.value(), degraded, list.outcome(),
                                   assignment.map(Assignment::arm).orElse(null), nextCursor);
    }

    /** The list for a first page: the cached one for the request's key, or a new one. */
    private Lookup<BlendedList> current(EffectivePlan plan, RecommendationRequest request) {
        RecommendationRequest shareable = request.shareable(plan.blend().listSize());
        if (!caching) {
            return new Lookup<>(maker.make(plan, shareable), CacheOutcome.MISS, false);
        }
        OptionalLong generation = request.anonymous() ? OptionalLong.of(0) : generations.of(request.user());
        if (generation.isEmpty()) {
            return withoutGeneration(plan, request, shareable);
        }
        return cache.get(key(plan, shareable, generation.getAsLong()), () -> {
            BlendedList made = maker.make(plan, shareable);
            // Kept under its version too, for its cursors: later pages come from this list even after the key's
            // list is refreshed or the user's generation moves on.
            cache.put(CacheKeys.version(made.version()), made);
            return made;
        });
    }

    /**
     * The user's generation cannot be read (Redis down): whether their cached list is still current is unknown. The
     * list kept under the generation this replica last read is served for what it may be, stale; without one a list is
     * made for this request and kept only for its cursors, under its version, since its key is unknown.
     */
    private Lookup<BlendedList> withoutGeneration(EffectivePlan plan, RecommendationRequest request,
                                                  RecommendationRequest shareable) {
        OptionalLong last = generations.lastRead(request.user());
        if (last.isPresent()) {
            Optional<Lookup<BlendedList>> kept = cache.find(key(plan, shareable, last.getAsLong()));
            if (kept.isPresent()) {
                return new Lookup<>(kept.get().value(), CacheOutcome.STALE, true);
            }
        }
        // Concurrent requests for the same list share one make: a burst for one user must not become one fan-out each.
        BlendedList made = unknownGeneration.run(key(plan, shareable, UNKNOWN_GENERATION), () -> {
            BlendedList list = maker.make(plan, shareable);
            cache.put(CacheKeys.version(list.version()), list);
            return list;
        });
        return new Lookup<>(made, CacheOutcome.MISS, false);
    }

    private String key(EffectivePlan plan, RecommendationRequest shareable, long generation) {
        return CacheKeys.key(plan.plan(), shareable, generation,
                             plan.assignment() == null ? null : plan.assignment().arm(), maker.latestVersions());
    }

    /**
     * The list a cursor was cut from. When it is gone (expired, or kept only in another replica's memory while Redis
     * was down) the current list continues at the same position: the client keeps scrolling, though an item may repeat
     * or be missed, which is better than a broken feed.
     */
    private Lookup<BlendedList> continued(EffectivePlan plan, RecommendationRequest request, ListCursor cursor) {
        if (cache != null) {
            Optional<Lookup<BlendedList>> kept = cache.find(CacheKeys.version(cursor.version()));
            if (kept.isPresent()) {
                meters.listContinued(plan.name(), "same_list");
                return kept.get();
            }
        }
        meters.listContinued(plan.name(), "list_gone");
        return current(plan, request);
    }

    /** Exposure and quality measures of what was served; off the request's path and never failing it. */
    private void record(EffectivePlan plan, RecommendationRequest request, String recommendationId,
                        List<RankedItem> page, BlendedList list, Degradation degraded) {
        Map<String, String> versions = new LinkedHashMap<>();
        list.modelVersions().forEach((source, version) -> versions.put(source.name(), version));
        String who = request.user() != null ? request.user()
                : request.anonymousId() != null ? "anonymous:" + request.anonymousId() : null;
        exposures.record(Exposure.of(recommendationId, who, plan.name(), plan.assignment(),
                                     page.stream().map(RankedItem::itemId).toList(), versions, clock.instant()));
        meters.recommendation(plan.name(), degraded != null ? degraded.wireName() : list.partial() ? "partial" : "complete");
        // A distribution, not a per-answer value: one answer in DIVERSITY_SAMPLE is enough to draw it, and it spares
        // every other answer the page's pairwise similarities (190 of them for a page of 20).
        if (ThreadLocalRandom.current().nextInt(DIVERSITY_SAMPLE) == 0) {
            meters.diversity(plan.name(), Blender.intraListDiversity(
                    page.stream().map(RankedItem::details).toList(), similarity));
        }
    }
}
