package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.braid.catalog.CatalogItem;
import dev.braid.observe.BlendEvent;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.RequestContext;
import dev.braid.observe.Spans;
import dev.braid.observe.TraceSpan;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.Degradation;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.RecommendationsConfig;
import dev.braid.recommend.Signals;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.SourceTraits;
import dev.braid.recommend.SurfacePlan;
import dev.braid.recommend.UserSignals;
import dev.braid.recommend.blend.BlendCandidate;
import dev.braid.recommend.blend.Blender;
import dev.braid.recommend.blend.CandidateFilter;
import dev.braid.recommend.blend.Contribution;
import dev.braid.recommend.blend.DropOutOfStock;
import dev.braid.recommend.blend.DropPurchased;
import dev.braid.recommend.blend.DropUnknownItems;
import dev.braid.recommend.blend.Evidence;
import dev.braid.recommend.blend.ExplainReasons;
import dev.braid.recommend.fanout.CandidateFanout;
import dev.braid.recommend.fanout.FanoutResult;
import dev.braid.recommend.fanout.SourceOutcome;
import dev.braid.resilience.Deadline;

/**
 * Makes one blended list: the user's signals decide the cold-start tier; the tier and the plan decide which sources
 * run; the fan-out asks them under the deadline; the blend merges what arrived (plus popular items for lists without
 * personal signal), hydrates the pool in one catalog lookup, drops what the business rules forbid, re-ranks for a
 * signed-in user when the plan says so, diversifies, caps categories and explains every item. When no source
 * contributed, the default ranking stands in.
 */
public final class ListMaker {
    /**
     * The pool MMR chooses from, as a multiple of the list's length: room to diversify, and small enough that its one
     * catalog lookup (about 10 ms for 200 items on a cold cache) and MMR stay well inside the reserve.
     */
    private static final int POOL_FACTOR = 2;

    private final RecommendationsConfig config;
    private final Map<SourceId, GuardedSource> sources;
    private final Set<SourceId> perUser;
    private final Map<SourceId, SourceTraits> traits;
    private final CandidateFanout fanout;
    private final Blender blender;
    private final ExplainReasons explain = new ExplainReasons();
    private final DefaultRanking defaultRanking;
    private final Hydrator hydrator;
    private final PopularItems popular;
    private final UserSignals signals;
    private final BraidMeters meters;
    private final Map<SourceId, String> latestVersions = new ConcurrentHashMap<>();
    private final String warmupUser;

    /**
     * @param warmupUser the user the instance warms itself up as ({@code server.warmup-user}): always given the full
     *                   plan; {@code null} or empty: none
     */
    public ListMaker(RecommendationsConfig config, Map<SourceId, GuardedSource> sources, Set<SourceId> perUser,
              Map<SourceId, SourceTraits> traits, CandidateFanout fanout, Blender blender, DefaultRanking defaultRanking,
              Hydrator hydrator, PopularItems popular, UserSignals signals, BraidMeters meters, String warmupUser) {
        this.config = config;
        this.sources = Map.copyOf(sources);
        this.perUser = Set.copyOf(perUser);
        this.traits = Map.copyOf(traits);
        this.fanout = fanout;
        this.blender = blender;
        this.defaultRanking = defaultRanking;
        this.hydrator = hydrator;
        this.popular = popular;
        this.signals = signals;
        this.meters = meters;
        this.warmupUser = warmupUser == null || warmupUser.isEmpty() ? null : warmupUser;
    }

    BlendedList make(EffectivePlan plan, RecommendationRequest request) {
        Deadline end = end(plan.plan(), request);
        // Sources must be done before the end by the reserve: hydration, blending and writing the answer need it.
        Deadline deadline = end.minus(config.reserve());
        Signals known = request.anonymous() ? Signals.unknown() : signals.of(request.user());
        // The instance's own warm-up user has no history, yet must reach the per-user sources to warm their clients.
        ColdStartTier tier = warmupUser != null && warmupUser.equals(request.user()) ? ColdStartTier.PERSONAL
                                                                                     : ColdStartTier.of(request, known);

        Map<SourceId, SourceOutcome> outcomes = new LinkedHashMap<>();
        List<CandidateSource> toCall = new ArrayList<>();
        for (SurfacePlan.PlannedSource planned : plan.sources()) {
            String skipped = skipReason(plan, planned, tier);
            if (skipped != null) {
                outcomes.put(planned.source(), new SourceOutcome.Skipped(planned.source(), skipped));
                meters.sourceCall(planned.source().name(), SourceStatus.SKIPPED.wireName(), Duration.ZERO);
            } else {
                toCall.add(sources.get(planned.source()));
            }
        }
        CandidateQuery query = new CandidateQuery(request, plan.plan().candidates(), deadline, plan.models());
        FanoutResult fanned = fanout.fetchAll(toCall, query, plan.name());
        fanned.outcomes().forEach(outcome -> outcomes.put(outcome.source(), outcome));
        Tally tally = tally(plan, outcomes);

        // Nothing arrived from sources that were asked: the default ranking. A list without personal signal whose
        // plan had nothing to ask (a surface of per-user models only) is the popular tier, not a failure.
        if (tally.contributions().isEmpty() && (tier.personal() || !toCall.isEmpty())) {
            List<RankedItem> fallback = explainedAsPopular(hydrator.hydrate(
                    defaultRanking.ranking(plan.name(), plan.blend().listSize(), known.purchased()), end));
            return new BlendedList(newVersion(), fallback, tally.reports(), tally.partial(), Degradation.DEFAULT_RANKING,
                                   tally.modelVersions(), null);
        }
        List<Contribution> contributions = new ArrayList<>(tally.contributions());
        if (!tier.personal()) {
            contributions.add(popularContribution(plan, known));
        }
        Picked picked = pick(plan, request, known, tier, contributions, query, end);
        // Kept as everyone's fallback only when nothing of the user shaped it: no per-user source, and no popular items
        // picked by the user's categories.
        if (!tally.personal() && (tier.personal() || known.topCategories().isEmpty())) {
            defaultRanking.remember(plan.name(), picked.items());
        }
        latestVersions.putAll(tally.modelVersions());
        return new BlendedList(newVersion(), picked.items(), tally.reports(), tally.partial(),
                               tier.personal() ? null : Degradation.COLD_START, tally.modelVersions(), picked.reranked());
    }

    /** The model version each source last answered with: part of the cache key, so a deploy changes the key. */
    Map<SourceId, String> latestVersions() {
        return latestVersions;
    }

    /** Why a planned source does not run for this request, or {@code null} when it does. */
    private String skipReason(EffectivePlan plan, SurfacePlan.PlannedSource planned, ColdStartTier tier) {
        if (plan.switchedOff().contains(planned.source())) {
            return "turned off by experiment " + plan.assignment().experiment();
        }
        boolean personal = planned.loggedInOnly() || perUser.contains(planned.source());
        if (personal && tier == ColdStartTier.ANONYMOUS) {
            return "anonymous request";
        }
        if (personal && tier == ColdStartTier.NEW_USER) {
            return "no history yet";
        }
        return null;
    }

    /** The default ranking's items, each explained by its own category ("popular in Shoes"). */
    private List<RankedItem> explainedAsPopular(List<RankedItem> items) {
        List<Evidence> popularity = List.of(new Evidence(PopularItems.SOURCE, Explanation.POPULAR, null, null));
        List<RankedItem> explained = new ArrayList<>(items.size());
        for (RankedItem item : items) {
            BlendCandidate candidate = new BlendCandidate(item.itemId(), item.score(), List.of(PopularItems.SOURCE),
                                                          popularity, item.details());
            explained.add(new RankedItem(item.itemId(), item.score(), item.sources(),
                                         explain.reasons(candidate, Map.of()), item.details()));
        }
        return explained;
    }

    /** Popular items, in the categories of the user's signals when there are any, for lists without personal signal. */
    private Contribution popularContribution(EffectivePlan plan, Signals known) {
        Set<String> categories = Set.copyOf(known.topCategories());
        int limit = plan.plan().candidates();
        List<Candidate> candidates = new ArrayList<>(limit);
        for (CatalogItem item : popular.items()) {
            if (candidates.size() == limit) {
                break;
            }
            if (categories.isEmpty() || categories.contains(item.category())) {
                candidates.add(new Candidate(item.itemId(), Double.NaN, null));
            }
        }
        return new Contribution(PopularItems.SOURCE, candidates, plan.plan().popularWeight(), Explanation.POPULAR);
    }

    /** The blended list's items and how its re-ranking went ({@code null} when there was none). */
    private record Picked(List<RankedItem> items, SourceReport reranked) {
    }

    private Picked pick(EffectivePlan plan, RecommendationRequest request, Signals known, ColdStartTier tier,
                        List<Contribution> contributions, CandidateQuery query, Deadline end) {
        BlendEvent event = new BlendEvent();
        event.begin();
        TraceSpan span = Spans.internal("blend").set("braid.surface", plan.name());
        try {
            Picked picked = span.recording()
                    ? span.run(() -> blend(plan, known, tier, contributions, query, end, event, span))
                    : blend(plan, known, tier, contributions, query, end, event, span);
            if (event.shouldCommit()) {
                event.requestId = RequestContext.currentRequestId();
                event.surface = plan.name();
                event.contributions = contributions.size();
                event.reranked = picked.reranked() != null;
                event.items = picked.items().size();
                event.commit();
            }
            span.set("braid.items", picked.items().size());
            return picked;
        } finally {
            span.end();
        }
    }

    private Picked blend(EffectivePlan plan, Signals known, ColdStartTier tier, List<Contribution> contributions,
                         CandidateQuery query, Deadline end, BlendEvent event, TraceSpan span) {
        List<BlendCandidate> merged = blender.merge(contributions, plan.blend());
        List<BlendCandidate> pool = merged.subList(0, Math.min(merged.size(), plan.blend().listSize() * POOL_FACTOR));
        Set<String> lookup = new LinkedHashSet<>();
        pool.forEach(candidate -> {
            lookup.add(candidate.itemId());
            candidate.evidence().forEach(evidence -> {
                if (evidence.anchor() != null) {
                    lookup.add(evidence.anchor());
                }
            });
        });
        Optional<Map<String, CatalogItem>> details = hydrator.details(lookup, end);
        Map<String, CatalogItem> found = details.orElse(Map.of());
        List<BlendCandidate> hydrated = new ArrayList<>(pool.size());
        pool.forEach(candidate -> hydrated.add(candidate.withDetails(found.get(candidate.itemId()))));

        List<CandidateFilter> rules = new ArrayList<>();
        rules.add(new DropPurchased(known.purchased()));
        if (details.isPresent()) {
            // Without the catalog's answer nothing is known to be missing or out of stock: serve rather than drop all.
            rules.add(new DropUnknownItems());
            rules.add(new DropOutOfStock());
        }
        Blender.BlendResult kept = blender.filter(hydrated, rules);
        kept.dropped().forEach((rule, count) -> meters.blendDropped(plan.name(), rule, count));
        event.candidates = merged.size();
        event.pool = pool.size();
        event.hydrated = details.isPresent();
        event.dropped = pool.size() - kept.list().size();
        span.set("braid.candidates", merged.size()).set("braid.dropped", pool.size() - kept.list().size());

        List<BlendCandidate> ordered = kept.list();
        SourceReport reranked = null;
        if (plan.plan().rerank() != null && tier.personal()) {
            Reranking reranking = new Reranking(sources.get(plan.plan().rerank()));
            Reranking.Result result = reranking.rerank(query, ordered);
            ordered = result.items();
            reranked = result.report();
        }
        List<BlendCandidate> diverse = blender.diversify(ordered, plan.blend());
        List<RankedItem> items = new ArrayList<>(diverse.size());
        for (BlendCandidate candidate : diverse) {
            items.add(new RankedItem(candidate.itemId(), candidate.score(), candidate.sources(),
                                     explain.reasons(candidate, found), candidate.details()));
        }
        return new Picked(items, reranked);
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

    private Tally tally(EffectivePlan plan, Map<SourceId, SourceOutcome> outcomes) {
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
                    SourceTraits sourceTraits = traits.getOrDefault(planned.source(), SourceTraits.of(Explanation.POPULAR));
                    contributions.add(new Contribution(planned.source(), fetched.batch().candidates(), planned.weight(),
                                                       sourceTraits.explanation(), sourceTraits.canonicalId()));
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

    private static SourceReport report(SourceOutcome outcome) {
        int count = outcome instanceof SourceOutcome.Fetched fetched ? fetched.batch().candidates().size() : 0;
        return new SourceReport(outcome.source(), outcome.status(), outcome.took(), count);
    }

    /** The request's end: its surface's budget, or sooner when the caller grants less. */
    static Deadline end(SurfacePlan plan, RecommendationRequest request) {
        Deadline end = Deadline.after(plan.budget());
        return request.callerTimeout() == null ? end : end.atMost(request.callerTimeout());
    }

    private static String newVersion() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
