package dev.braid.recommend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.braid.cache.CacheConfig;
import dev.braid.cache.CacheOutcome;
import dev.braid.cache.CacheSpec;
import dev.braid.cache.Generations;
import dev.braid.cache.Lookup;
import dev.braid.cache.SharedStore;
import dev.braid.cache.TieredCache;
import dev.braid.observe.BraidMeters;
import dev.braid.recommend.blend.WeightedSumBlender;
import dev.braid.recommend.blend.WeightedSumBlender.Contribution;
import dev.braid.recommend.fanout.CandidateFanout;
import dev.braid.recommend.fanout.FanoutResult;
import dev.braid.recommend.fanout.SourceOutcome;
import dev.braid.resilience.Deadline;

/**
 * Answers one recommendation request: cache lookup, and on a miss plan → fan-out under the deadline → blend → hydrate.
 * Never fails because a source failed; when no source answered it serves a stale list, else the
 * {@link DefaultRanking}.
 */
public final class RecommendationPipeline {
    private final RecommendationsConfig config;
    private final Map<String, SurfacePlan> plans;
    private final Map<SourceId, GuardedSource> sources;
    private final Set<SourceId> perUser;
    private final CandidateFanout fanout;
    private final WeightedSumBlender blender;
    private final DefaultRanking defaultRanking;
    private final Hydrator hydrator;
    private final BraidMeters meters;
    private final TieredCache<Recommendations> cache;
    private final Generations generations;
    /** The model version each source last answered with: part of the cache key, so a deploy changes the key. */
    private final Map<SourceId, String> latestVersions = new ConcurrentHashMap<>();
    /** Off while the instance warms up: warm-up requests must reach the sources, not the lists they cached. */
    private volatile boolean caching;

    public RecommendationPipeline(RecommendationsConfig config, Map<String, SurfacePlan> plans,
                                  Map<SourceId, GuardedSource> sources, Set<SourceId> perUser,
                                  CandidateFanout fanout,
                                  WeightedSumBlender blender, DefaultRanking defaultRanking, Hydrator hydrator,
                                  BraidMeters meters) {
        this(config, plans, sources, perUser, fanout, blender, defaultRanking, hydrator, meters, null,
             new Generations(SharedStore.none(), Duration.ZERO, 1));
    }

    /**
     * @param cache       where finished lists are kept, or {@code null} to make every list anew
     * @param generations users' cache generations, part of their keys
     */
    public RecommendationPipeline(RecommendationsConfig config, Map<String, SurfacePlan> plans,
                                  Map<SourceId, GuardedSource> sources, Set<SourceId> perUser,
                                  CandidateFanout fanout,
                                  WeightedSumBlender blender, DefaultRanking defaultRanking, Hydrator hydrator,
                                  BraidMeters meters, TieredCache<Recommendations> cache, Generations generations) {
        this.config = config;
        this.plans = Map.copyOf(plans);
        this.sources = Map.copyOf(sources);
        this.perUser = Set.copyOf(perUser);
        this.fanout = fanout;
        this.blender = blender;
        this.defaultRanking = defaultRanking;
        this.hydrator = hydrator;
        this.meters = meters;
        this.cache = cache;
        this.generations = generations;
    }

    /**
     * The cache of finished lists: full answers are fresh for the configured time, partial and empty ones only
     * briefly, and the default ranking (every source failed) is never kept: a stale list is served before it.
     */
    public static CacheSpec<Recommendations> cacheSpec(CacheConfig config) {
        return new CacheSpec<>("recommendations", config.recommendations(),
                               list -> list.partial() || list.items().isEmpty(),
                               list -> list.degraded() == Degradation.DEFAULT_RANKING, new RecommendationsCodec());
    }

    /** From now on, finished lists are cached (when a cache was given). */
    public void startCaching() {
        caching = cache != null;
    }

    public String defaultSurface() {
        return config.defaultSurface();
    }

    /** The plan for a surface. */
    public SurfacePlan plan(String surface) {
        SurfacePlan plan = plans.get(surface);
        if (plan == null) {
            throw new UnknownSurfaceException(surface, plans.keySet().stream().sorted().toList());
        }
        return plan;
    }

    public Recommendations recommend(RecommendationRequest request) {
        SurfacePlan plan = plan(request.surface());
        int wanted = request.n() + request.exclude().size();
        Recommendations list;
        if (!caching || wanted > CacheKeys.LARGEST_PAGE) {
            list = make(plan, request);
        } else {
            // One list per page-size bucket, made without the request's exclusions, which are applied to it below:
            // requests that differ only in n or exclude share it.
            RecommendationRequest shareable = new RecommendationRequest(
                    request.user(), request.surface(), CacheKeys.page(wanted), Set.of(), request.language(),
                    request.country(), request.callerTimeout());
            long generation = request.anonymous() ? 0 : generations.of(request.user());
            Lookup<Recommendations> lookup = cache.get(CacheKeys.key(plan, shareable, generation, latestVersions),
                                                       () -> make(plan, shareable));
            Recommendations found = lookup.value();
            list = new Recommendations(null, request, found.items(), found.sources(), found.partial(),
                                       lookup.originFailed() ? Degradation.STALE : found.degraded(),
                                       found.modelVersions(), found.reranked(), lookup.outcome());
        }
        List<RankedItem> page = list.items().stream().filter(item -> !request.exclude().contains(item.itemId()))
                .limit(request.n()).toList();
        meters.recommendation(plan.name(), list.degraded() != null ? "fallback" : list.partial() ? "partial" : "complete");
        return new Recommendations(newRecommendationId(), request, page, list.sources(), list.partial(), list.degraded(),
                                   list.modelVersions(), list.reranked(),
                                   list.cache() == null ? CacheOutcome.MISS : list.cache());
    }

    /** Makes the list: plan → fan-out → blend → re-rank → hydrate. */
    private Recommendations make(SurfacePlan plan, RecommendationRequest request) {
        Deadline end = end(plan, request);
        // Sources must be done before the end by the reserve: hydration, blending and writing the answer need it.
        Deadline deadline = end.minus(config.reserve());

        Map<SourceId, SourceOutcome> outcomes = new LinkedHashMap<>();
        List<CandidateSource> toCall = new ArrayList<>();
        for (SurfacePlan.PlannedSource planned : plan.sources()) {
            if (request.anonymous() && (planned.loggedInOnly() || perUser.contains(planned.source()))) {
                outcomes.put(planned.source(), new SourceOutcome.Skipped(planned.source(), "anonymous request"));
                meters.sourceCall(planned.source().name(), SourceStatus.SKIPPED.wireName(), Duration.ZERO);
            } else {
                toCall.add(sources.get(planned.source()));
            }
        }
        FanoutResult fanned = fanout.fetchAll(toCall, new CandidateQuery(request, plan.candidates(), deadline), plan.name());
        fanned.outcomes().forEach(outcome -> outcomes.put(outcome.source(), outcome));

        Tally tally = tally(plan, outcomes, perUser);
        Degradation degraded = tally.contributions().isEmpty() ? Degradation.DEFAULT_RANKING : null;
        Reranked page = items(plan, request, tally, deadline);
        List<RankedItem> items = hydrator.hydrate(page.items(), end);
        latestVersions.putAll(tally.modelVersions());
        return new Recommendations(null, request, items, tally.reports(), tally.partial(), degraded,
                                   tally.modelVersions(), page.report(), null);
    }

    /** A page, and how its re-ranking went ({@code null} when the plan asked for none). */
    private record Reranked(List<RankedItem> items, SourceReport report) {
    }

    /**
     * What the sources' outcomes add up to, in plan order.
     *
     * @param partial  a required source did not contribute
     * @param personal a per-user source contributed, so the list must not be remembered for others
     */
    private record Tally(List<Contribution> contributions, List<SourceReport> reports, Map<SourceId, String> modelVersions,
                         boolean partial, boolean personal) {
    }

    private static Tally tally(SurfacePlan plan, Map<SourceId, SourceOutcome> outcomes, Set<SourceId> perUser) {
        List<Contribution> contributions = new ArrayList<>();
        List<SourceReport> reports = new ArrayList<>();
        Map<SourceId, String> modelVersions = new LinkedHashMap<>();
        boolean partial = false;
        boolean personal = false;
        for (SurfacePlan.PlannedSource planned : plan.sources()) {
            SourceOutcome outcome = outcomes.get(planned.source());
            reports.add(report(outcome));
            switch (outcome) {
                case SourceOutcome.Fetched fetched -> {
                    contributions.add(new Contribution(planned.source(), fetched.batch().candidates(), planned.weight(),
                                                       planned.source().name()));
                    if (fetched.batch().modelVersion() != null) {
                        modelVersions.put(planned.source(), fetched.batch().modelVersion());
                    }
                    personal |= planned.loggedInOnly() || perUser.contains(planned.source());
                }
                case SourceOutcome.Failed failed -> partial |= planned.required();
                case SourceOutcome.Skipped skipped -> {
                    // not wanted for this request: neither a contribution nor a failure
                }
            }
        }
        return new Tally(contributions, reports, modelVersions, partial, personal);
    }

    /** The blended page, re-ranked when the plan says so, or the default ranking when no source contributed. */
    private Reranked items(SurfacePlan plan, RecommendationRequest request, Tally tally, Deadline deadline) {
        if (tally.contributions().isEmpty()) {
            return new Reranked(defaultRanking.ranking(plan.name(), request.n(), request.exclude()), null);
        }
        // Blend the whole candidate list once: the remembered fallback must not carry this request's exclusions.
        List<RankedItem> full = blender.blend(tally.contributions(), Set.of(), plan.candidates());
        if (!tally.personal()) {
            defaultRanking.remember(plan.name(), full);
        }
        List<RankedItem> kept = full.stream().filter(item -> !request.exclude().contains(item.itemId())).toList();
        if (plan.rerank() == null || request.anonymous()) {
            return new Reranked(kept.stream().limit(request.n()).toList(), null);
        }
        return rerank(sources.get(plan.rerank()), new CandidateQuery(request, plan.candidates(), deadline), kept);
    }

    /**
     * Re-orders the blended list with the plan's re-ranker in the time the fan-out left. Items it ranks come first, in
     * its order; items it left out follow in blended order. When it fails, the blended order stands.
     */
    private Reranked rerank(GuardedSource reranker, CandidateQuery query, List<RankedItem> blended) {
        long started = System.nanoTime();
        int n = query.request().n();
        try {
            List<String> ids = blended.stream().map(RankedItem::itemId).limit(Reranker.MAX_ITEMS).toList();
            CandidateBatch ranking = reranker.rerank(query, ids);
            Map<String, RankedItem> byId = new LinkedHashMap<>();
            blended.forEach(item -> byId.put(item.itemId(), item));
            List<RankedItem> page = new ArrayList<>(n);
            for (Candidate candidate : ranking.candidates()) {
                RankedItem item = byId.remove(candidate.itemId());
                if (item != null && page.size() < n) {
                    page.add(item);
                }
            }
            for (RankedItem rest : byId.values()) {
                if (page.size() == n) {
                    break;
                }
                page.add(rest);
            }
            return new Reranked(page, new SourceReport(reranker.id(), SourceStatus.OK, since(started),
                                                       ranking.candidates().size()));
        } catch (SourceException e) {
            return new Reranked(blended.stream().limit(n).toList(),
                                new SourceReport(reranker.id(), e.status(), since(started), 0));
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The request's end: its surface's budget, or sooner when the caller grants less. */
    private static Deadline end(SurfacePlan plan, RecommendationRequest request) {
        Deadline end = Deadline.after(plan.budget());
        return request.callerTimeout() == null ? end : end.atMost(request.callerTimeout());
    }

    private static SourceReport report(SourceOutcome outcome) {
        int count = outcome instanceof SourceOutcome.Fetched fetched ? fetched.batch().candidates().size() : 0;
        return new SourceReport(outcome.source(), outcome.status(), outcome.took(), count);
    }

    private static String newRecommendationId() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
