package dev.braid;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.braid.cache.CacheSpec;
import dev.braid.cache.Generations;
import dev.braid.cache.SharedStore;
import dev.braid.cache.TieredCache;
import dev.braid.catalog.CachedCatalog;
import dev.braid.catalog.Catalog;
import dev.braid.catalog.opensearch.OpenSearchCatalog;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.ObserveConfig;
import dev.braid.events.Claim;
import dev.braid.events.Commit;
import dev.braid.events.EventEffects;
import dev.braid.events.EventIngestion;
import dev.braid.events.EventSink;
import dev.braid.events.EventsUnavailableException;
import dev.braid.events.IdempotencyKey;
import dev.braid.events.TrendingDecay;
import dev.braid.experiments.Assigner;
import dev.braid.experiments.ConversionCounter;
import dev.braid.experiments.CoverageGauge;
import dev.braid.experiments.ExposureLog;
import dev.braid.experiments.ExposureSink;
import dev.braid.experiments.RecommendationIds;
import dev.braid.http.ShutdownGate;
import dev.braid.http.transport.ClientFaults;
import dev.braid.http.transport.ConnectionGuard;
import dev.braid.http.transport.ListenerProbe;
import dev.braid.jobs.SingletonJob;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.BuildInfo;
import dev.braid.observe.FlightRecordings;
import dev.braid.observe.Tracing;
import dev.braid.ratelimit.FleetQuota;
import dev.braid.ratelimit.LocalRateLimiter;
import dev.braid.ratelimit.Rate;
import dev.braid.ratelimit.RateLimitConfig;
import dev.braid.ratelimit.RateLimiter;
import dev.braid.ratelimit.SharedRateLimiter;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.SourceConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceWiring;
import dev.braid.recommend.UserHistory;
import dev.braid.recommend.UserSignals;
import dev.braid.recommend.blend.Blender;
import dev.braid.recommend.fanout.CandidateFanout;
import dev.braid.recommend.pipeline.DefaultRanking;
import dev.braid.recommend.pipeline.GuardedSource;
import dev.braid.recommend.pipeline.Hydrator;
import dev.braid.recommend.pipeline.ListCursorCodec;
import dev.braid.recommend.pipeline.ListMaker;
import dev.braid.recommend.pipeline.PopularItems;
import dev.braid.recommend.pipeline.RecommendationPipeline;
import dev.braid.redis.GenerationTracking;
import dev.braid.redis.RedisClients;
import dev.braid.redis.RedisConfig;
import dev.braid.redis.RedisEventSink;
import dev.braid.redis.RedisExposureSink;
import dev.braid.redis.RedisLeases;
import dev.braid.redis.RedisRateLimiter;
import dev.braid.redis.RedisRefusedException;
import dev.braid.redis.RedisSharedStore;
import dev.braid.redis.RedisUserAffinities;
import dev.braid.redis.RedisUserHistory;
import dev.braid.redis.RedisUserSignals;
import dev.braid.resilience.CallQuota;
import dev.braid.resilience.DownstreamPolicy;
import dev.braid.resilience.GuardConfig;
import dev.braid.search.CursorCodec;
import dev.braid.search.FeedPipeline;
import dev.braid.search.SearchBackend;
import dev.braid.search.SearchConfig;
import dev.braid.search.SearchContext;
import dev.braid.search.SearchPipeline;
import dev.braid.search.SharedSnapshots;
import dev.braid.search.UserAffinities;
import dev.braid.search.opensearch.OpenSearchSearchBackend;
import dev.braid.token.SealedTokens;

import io.helidon.metrics.api.Metrics;
import org.opensearch.client.opensearch.OpenSearchClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Everything one Braid instance is made of, built from its configuration. The only place that names concrete clients.
 */
public record Components(BraidConfig config, RecommendationPipeline pipeline, Map<SourceId, GuardedSource> sources,
                         OpenSearchClient openSearch, Catalog catalog, UnifiedJedis redis, Generations generations,
                         PopularItems popular,
                         DownstreamPolicy searchGuard, DownstreamPolicy feedGuard, SearchPipeline search, FeedPipeline feed, ShutdownGate gate,
                         BraidMeters meters, EventIngestion events, ConnectionGuard connections,
                         ConnectionGuard adminConnections, ListenerProbe apiListener,
                         RateLimiter rateLimiter, Tracing tracing, FlightRecordings recordings,
                         Map<String, SingletonJob> jobs, Map<String, FleetQuota> quotas,
                         List<AutoCloseable> workers)
        implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Components.class.getName());
    /** The names of OpenSearch's guards for searches and for feeds: in metrics and {@code /admin/breakers}. */
    public static final String SEARCH_GUARD = "search";
    public static final String FEED_GUARD = "feed";

    /** Recent items and strongest categories read per user: enough to tell new from known, and to pick by. */
    private static final int SIGNAL_HISTORY = 10;
    private static final int SIGNAL_CATEGORIES = 5;
    /** The event types that count as a conversion of the recommendation they name. */
    private static final List<String> CONVERSIONS = List.of("click", "add_to_cart", "purchase");
    /** Callers this replica tracks while it limits alone (Redis unreachable); the least recent are forgotten first. */
    private static final int LOCAL_RATE_LIMIT_CALLERS = 100_000;
    /** The exposure log's writers and the coverage gauge: one connection each. */
    private static final int BACKGROUND_CONNECTIONS = ExposureLog.WRITERS + 1;
    /** Leases and published results of the singleton jobs: background work, never on a request's path. */
    private static final Duration JOBS_TIMEOUT = Duration.ofSeconds(1);
    private static final int JOBS_CONNECTIONS = 2;
    /** The singleton job that rebases the trending scale. */
    public static final String TRENDING_REBASE = "trending-rebase";

    public static Components create(BraidConfig config) {
        // Helidon configures the registry's filters when it first creates it: before any meter is bound to it.
        BraidMeters meters = new BraidMeters(Metrics.globalRegistry());
        BuildInfo build = BuildInfo.current();
        meters.buildInfo(build.version(), build.commit(), build.jdk());
        // Before anything that must be closed: a Redis refusing Braid's credentials or TLS stops start-up here.
        UnifiedJedis redis = redis(config);
        Tracing tracing = tracing(config.observe().tracing(), build);
        FlightRecordings recordings = new FlightRecordings(config.observe().recordings().path(),
                                                           config.observe().recordings().maxCount(),
                                                           config.observe().recordings().maxDuration(),
                                                           config.observe().recordings().maxSizeBytes(),
                                                           Clock.systemUTC());
        ClientFaults.install(meters::clientAbort);
        meters.register(config.sources().keySet().stream().map(SourceId::name).toList(), config.surfaces().keySet());

        OpenSearchClient openSearch = OpenSearchClients.create(config.openSearch());
        Catalog catalog = new OpenSearchCatalog(openSearch, config.catalog());
        UserHistory history = redis == null ? UserHistory.none() : new RedisUserHistory(redis);
        SharedStore shared = redis == null ? SharedStore.none() : new RedisSharedStore(redis, config.redis(), meters);
        if (config.cache().enabled()) {
            catalog = new CachedCatalog(catalog, tieredCache(CachedCatalog.cacheSpec(config.cache()), config, shared,
                                                             meters), config.catalog().index());
        }
        // Search, feed and recommendation cursors and recommendation ids are sealed with one set of keys.
        SealedTokens tokens = new SealedTokens(tokenSecrets(config.search()));
        // Singleton jobs: every replica schedules them, the holder of a job's lease in Redis does the work. On a small pool
        // of their own with a background timeout: a published list is a few hundred kilobytes, never a request's wait.
        List<AutoCloseable> workers = new ArrayList<>();
        Map<String, SingletonJob> jobs = new LinkedHashMap<>();
        RedisLeases leases = null;
        if (redis != null) {
            UnifiedJedis jobsRedis = ownRedis(config.redis().forBackground(JOBS_TIMEOUT, JOBS_CONNECTIONS), redis, "jobs");
            if (jobsRedis != redis) {
                workers.add(jobsRedis);
            }
            leases = new RedisLeases(jobsRedis);
        }
        // One Redis count for the inbound rate limits and the downstreams' fleet-wide quotas, on a pool of its own: a
        // burst of counts never takes the connections that cache reads need.
        RedisRateLimiter counts = null;
        if (redis != null) {
            UnifiedJedis countsRedis = ownRedis(config.redis().withPool(config.rateLimits().connections()), redis,
                                                "rate limiter");
            if (countsRedis != redis) {
                workers.add(countsRedis);
            }
            counts = new RedisRateLimiter(countsRedis, config.rateLimits(), config.redis().breaker(), System::nanoTime);
        }
        Map<String, FleetQuota> quotas = new LinkedHashMap<>();
        String popularJob = PopularItems.job(config.catalog().index());
        PopularItems popular = new PopularItems(catalog, config.popular(), leases, popularJob);
        jobs.put(popularJob, new SingletonJob(popularJob, config.popular().refresh(), config.jobs(), leases,
                                              popular::publish, meters));
        popular.start(config.popular().refresh(), jobs.get(popularJob)::holding);

        SourceWiring wiring = new SourceWiring(history, Map.of(OpenSearchClient.class, openSearch));
        Map<SourceId, GuardedSource> sources = new LinkedHashMap<>();
        for (Map.Entry<SourceId, SourceConfig> source : config.sources().entrySet()) {
            SourceId id = source.getKey();
            GuardConfig guard = config.guards().get(id);
            sources.put(id, new GuardedSource(source.getValue().kind().createFor(source.getValue(), wiring),
                                              new DownstreamPolicy(id.name(), guard, GuardedSource.FAILURES, meters,
                                                                   quota(id.name(), guard, config, counts, meters, quotas))));
        }
        Set<SourceId> perUser = config.sources().values().stream().filter(SourceConfig::perUser).map(SourceConfig::id)
                .collect(Collectors.toUnmodifiableSet());

        List<AutoCloseable> pushes = new ArrayList<>();
        Generations generations = new Generations(shared, config.cache().generationTtl(), config.cache().l1Size());
        if (redis != null && config.cache().generationPush()) {
            // Redis announces every generation change: a hit then needs no round trip to know its list is current.
            GenerationTracking tracking = RedisClients.generationTracking(config.redis(), redis);
            tracking.start(generations);
            pushes.add(tracking);
        }
        TieredCache<BlendedList> lists = !config.cache().enabled() ? null
                : tieredCache(RecommendationPipeline.cacheSpec(config.cache()), config, shared, meters);
        UserSignals signals = redis == null ? UserSignals.none()
                : new RedisUserSignals(redis, SIGNAL_HISTORY, SIGNAL_CATEGORIES, config.redis().breaker(), meters,
                                       System::nanoTime);
        ListMaker maker = new ListMaker(config.recommendations(), sources, perUser, config.traits(),
                                        new CandidateFanout(meters), new Blender(),
                                        new DefaultRanking(config.surfaces(), popular::current),
                                        new Hydrator(catalog, meters), popular, signals, meters,
                                        config.server().warmupUser());
        Assigner assigner = new Assigner(config.experiments().experiments());
        // Background work, closed in this order: what writes through a client stops (the exposure log flushing what it
        // holds) before that client closes.
        workers.addAll(pushes);
        ExposureLog exposures;
        if (redis == null) {
            exposures = new ExposureLog(ExposureSink.unavailable(), config.experiments().exposures(), meters);
            workers.add(exposures);
        } else {
            // Its own client: a busy Redis may slow the log down, but neither loses its batches at the request path's
            // timeout nor takes a request's pooled connection.
            UnifiedJedis background = ownRedis(config.redis().forBackground(config.experiments().exposures().timeout(),
                                                                            BACKGROUND_CONNECTIONS), redis, "exposure log");
            RedisExposureSink exposureSink = new RedisExposureSink(background, config.experiments().exposures());
            exposures = new ExposureLog(exposureSink, config.experiments().exposures(), meters);
            CoverageGauge coverage = new CoverageGauge(exposureSink, config.surfaces().keySet(), Clock.systemUTC(),
                                                       meters);
            coverage.start();
            workers.addAll(List.of(coverage, exposures));
            if (background != redis) {
                workers.add(background);
            }
        }
        RecommendationIds recommendationIds = new RecommendationIds(tokens);
        // A recommendation cursor lives as long as the list it points into is kept.
        ListCursorCodec listCursors = new ListCursorCodec(tokens, Clock.systemUTC(),
                                                          config.cache().recommendations().keep());
        RecommendationPipeline pipeline = new RecommendationPipeline(
                config.recommendations(), config.surfaces(), maker, lists, generations, assigner,
                recommendationIds, listCursors, exposures, signals, Clock.systemUTC(), meters);

        // A guard each: a feed's trouble (its points in time) never opens the searches' breaker, nor the reverse.
        DownstreamPolicy searchGuard = new DownstreamPolicy(SEARCH_GUARD, config.search().guard(),
                                                            OpenSearchSearchBackend.FAILURES, meters,
                                                            quota(SEARCH_GUARD, config.search().guard(), config, counts,
                                                                  meters, quotas));
        DownstreamPolicy feedGuard = new DownstreamPolicy(FEED_GUARD, config.search().feedGuard(),
                                                          OpenSearchSearchBackend.FAILURES, meters,
                                                          quota(FEED_GUARD, config.search().feedGuard(), config, counts,
                                                                meters, quotas));
        SearchBackend backend = new OpenSearchSearchBackend(openSearch, config.catalog(), config.search());
        UserAffinities affinities = redis == null ? UserAffinities.none()
                                                  : new RedisUserAffinities(redis, config.search().affinities());
        CursorCodec cursors = new CursorCodec(tokens, Clock.systemUTC());
        SharedSnapshots snapshots = new SharedSnapshots(config.search().feedSnapshotRefresh(),
                                                        config.search().feedKeepAlive(), System::nanoTime);
        SearchContext searching = new SearchContext(config.search(), backend, searchGuard, feedGuard, snapshots,
                                                    affinities, popular::items, cursors, Clock.systemUTC(), meters);
        // Without Redis, batches are refused (503), not dropped: the clients keep them and retry. With it, on a pool and
        // timeout of their own: a write that times out can only be answered "outcome unknown", so it gets far longer than
        // a cache read, and a burst of batches never takes the cache's connections.
        EventSink eventSink = EventSink.unavailable();
        if (redis != null) {
            UnifiedJedis writes = ownRedis(config.redis().forBackground(config.events().timeout(),
                                                                        config.events().connections()), redis, "events");
            if (writes != redis) {
                workers.add(writes);
            }
            RedisEventSink redisEvents = new RedisEventSink(writes, config.redis().cluster(), config.events());
            eventSink = generationsMovedHere(redisEvents, generations);
            jobs.put(TRENDING_REBASE, new SingletonJob(TRENDING_REBASE, config.events().rebaseEvery(), config.jobs(),
                                                       leases, run -> rebaseTrending(redisEvents, run), meters));
        }
        EventIngestion events = new EventIngestion(eventSink, catalog, config.catalog().timeout(), Clock.systemUTC(), meters,
                                                   new ConversionCounter(assigner, recommendationIds, CONVERSIONS,
                                                                         meters), config.events().idempotency().lockTtl());
        ConnectionGuard connections = new ConnectionGuard(config.server().connections(), config.server().trustedProxies(),
                                                          reason -> meters.connectionClosed("api", reason));
        ConnectionGuard adminConnections = new ConnectionGuard(config.server().adminConnections(), List.of(),
                                                               reason -> meters.connectionClosed("admin", reason));
        RateLimiter limiter = rateLimiter(config, counts, meters);
        jobs.values().forEach(SingletonJob::start);
        // The jobs stop (and give their leases up, so another replica takes over at once) before any client closes.
        workers.addAll(0, jobs.values());
        return new Components(config, pipeline, Map.copyOf(sources), openSearch, catalog, redis, generations, popular,
                              searchGuard, feedGuard, new SearchPipeline(searching), new FeedPipeline(searching), new ShutdownGate(),
                              meters, events, connections, adminConnections, new ListenerProbe(config.server().host()),
                              limiter, tracing, recordings, Collections.unmodifiableMap(jobs),
                              Collections.unmodifiableMap(quotas), List.copyOf(workers));
    }

    /** The instance's tracer: spans exported over OTLP, or none. */
    private static Tracing tracing(ObserveConfig.Tracing config, BuildInfo build) {
        if (!config.enabled()) {
            return Tracing.off();
        }
        String instance = System.getenv().getOrDefault("HOSTNAME", "braid-" + ProcessHandle.current().pid());
        LOG.info(() -> "exporting spans to " + config.endpoint() + ", sampling " + config.sampleRatio()
                       + " of the traces this instance starts");
        return Tracing.otlp(config.endpoint(), config.sampleRatio(), config.serviceName(), build.version(), instance);
    }

    /**
     * A guard's {@code rate-limit} as the downstream's quota for the whole fleet, counted in Redis, with this replica's
     * share ({@code rate-limits.replicas}) while Redis cannot answer; {@code null} without a limit.
     */
    private static CallQuota quota(String name, GuardConfig guard, BraidConfig config, RedisRateLimiter counts,
                                   BraidMeters meters, Map<String, FleetQuota> quotas) {
        if (guard.rateLimit() <= 0) {
            return null;
        }
        FleetQuota quota = new FleetQuota(name, new Rate(guard.rateLimit(), guard.rateBurst()),
                                          config.rateLimits().replicas(), counts, meters,
                                          () -> System.nanoTime() / 1_000);
        quotas.put(name, quota);
        return quota::tryAcquire;
    }

    /**
     * The trending rebase job's work: move the scale's base to now's exponent, multiplying every score to match, under
     * the run's fencing token.
     */
    private static SingletonJob.Result rebaseTrending(RedisEventSink sink, SingletonJob.Run run) {
        double base = TrendingDecay.exponent(Instant.now());
        run.checkpoint();
        try {
            return sink.rebaseTrending(base, run.fence()) ? SingletonJob.Result.DONE : SingletonJob.Result.FENCED;
        } catch (EventsUnavailableException e) {
            LOG.warning("trending not rebased, next try in one period: " + e.getMessage());
            return SingletonJob.Result.FAILED;
        }
    }

    /**
     * The fleet-wide count in Redis, with this replica's share of each quota while Redis cannot answer (or, without
     * Redis at all, for good); {@code null} when rate limits are off.
     */
    private static RateLimiter rateLimiter(BraidConfig config, RedisRateLimiter counts, BraidMeters meters) {
        RateLimitConfig limits = config.rateLimits();
        if (!limits.enabled()) {
            return null;
        }
        meters.registerRateLimits(RateLimitConfig.CLASSES);
        RateLimiter local = new LocalRateLimiter(limits, limits.replicas(), LOCAL_RATE_LIMIT_CALLERS,
                                                 () -> System.currentTimeMillis() * 1_000);
        if (counts == null) {
            return SharedRateLimiter.localOnly(local, meters);
        }
        return new SharedRateLimiter(counts, local, meters);
    }

    /**
     * The current secret, then the previous ones. Tokens must open on every replica: without a configured secret they
     * only work against the issuing one.
     */
    private static List<byte[]> tokenSecrets(SearchConfig config) {
        if (!config.cursorSecret().isEmpty()) {
            List<byte[]> secrets = new ArrayList<>();
            secrets.add(config.cursorSecret().getBytes(StandardCharsets.UTF_8));
            config.previousCursorSecrets().forEach(secret -> secrets.add(secret.getBytes(StandardCharsets.UTF_8)));
            return secrets;
        }
        LOG.warning("search.cursor-secret is not set: cursors and recommendation ids are sealed with a random key and work "
                    + "only against this instance until it restarts; set SEARCH_CURSOR_dash_SECRET on every replica");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return List.of(secret);
    }

    /** A cache of this instance: its memory tier over the shared one, refreshed on virtual threads. */
    private static <V> TieredCache<V> tieredCache(CacheSpec<V> spec, BraidConfig config, SharedStore shared,
                                                  BraidMeters meters) {
        return new TieredCache<>(spec, config.cache(), shared, Clock.systemUTC(),
                                 () -> ThreadLocalRandom.current().nextDouble(),
                                 runnable -> Thread.ofVirtual().start(runnable), meters);
    }

    /**
     * Redis is an optimization, never a requirement: without it Braid starts and serves, with less to go on. But a Redis
     * that refuses the credentials or the TLS Braid is configured with is a setting to fix, reported like a bad value.
     */
    private static UnifiedJedis redis(BraidConfig config) {
        try {
            return RedisClients.connect(config.redis());
        } catch (RedisRefusedException e) {
            throw new InvalidConfigException(e.key(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Redis unavailable at start-up (" + e + "); running without user histories, and "
                                   + "with this replica's share of each rate limit");
            return null;
        }
    }

    /** A client of its own for {@code user}; the request path's when a second one cannot be made now. */
    private static UnifiedJedis ownRedis(RedisConfig redis, UnifiedJedis requests, String user) {
        try {
            return RedisClients.create(redis);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no separate Redis client for the " + user + " (" + e + "); sharing the requests' one");
            return requests;
        }
    }

    /**
     * The events' store, telling this replica's generations of the users a batch moved as soon as it is applied: the
     * replica that took the event serves no list made before it, without waiting for the push.
     */
    private static EventSink generationsMovedHere(EventSink sink, Generations generations) {
        return new EventSink() {
            @Override
            public Claim claim(IdempotencyKey key, String fingerprint) {
                return sink.claim(key, fingerprint);
            }

            @Override
            public boolean apply(EventEffects effects, Commit commit) {
                boolean applied = sink.apply(effects, commit);
                if (applied) {
                    effects.generations().forEach(generations::changed);
                }
                return applied;
            }

            @Override
            public void release(IdempotencyKey key, String token) {
                sink.release(key, token);
            }
        };
    }

    /** Each downstream quota as this replica sees it, for {@code GET /admin/quotas}. */
    public Map<String, Object> quotaStates() {
        Map<String, Object> states = new LinkedHashMap<>();
        quotas.forEach((name, quota) -> states.put(name, quota.snapshot()));
        return states;
    }

    /** Each source's circuit breaker state, for {@code GET /admin/breakers}. */
    public Map<String, String> breakerStates() {
        Map<String, String> states = new LinkedHashMap<>();
        config.sources().keySet().forEach(id -> states.put(id.name(), sources.get(id).breakerState()));
        states.put(SEARCH_GUARD, searchGuard.breakerState());
        states.put(FEED_GUARD, feedGuard.breakerState());
        return states;
    }

    /** Closes every client; a failing one does not keep the others open. */
    @Override
    public void close() {
        List<AutoCloseable> closeables = new ArrayList<>(sources.values());
        closeables.add(connections);
        closeables.add(adminConnections);
        closeables.add(popular);
        closeables.addAll(workers);
        if (redis != null) {
            closeables.add(redis);
        }
        closeables.add(catalog);
        closeables.add(openSearch._transport());
        // Last: the spans of everything closed before are exported.
        closeables.add(recordings);
        closeables.add(tracing);
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + closeable + " failed", e);
            }
        }
    }
}
