package dev.braid.observe;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Braid's own meters. Labels stay low-cardinality: source names and surfaces come from configuration, outcomes from a
 * fixed set; never a user, item or request id.
 */
public final class BraidMeters {
    /** Calls to a candidate source, by {@code source} and {@code outcome} (ok, timeout, error, ...). */
    public static final String SOURCE_CALLS = "braid.source.calls";
    /** Latency of calls to a candidate source that finished, by {@code source}. */
    public static final String SOURCE_LATENCY = "braid.source.latency";
    /** Recommendation answers by {@code surface} and {@code result}: complete, partial, fallback. */
    public static final String RECOMMENDATIONS = "braid.recommendations";

    /** Retries of calls to a downstream, by {@code source}. */
    public static final String SOURCE_RETRIES = "braid.source.retries";
    /** Second (hedged) requests sent because the first was slower than usual, by {@code source}. */
    public static final String SOURCE_HEDGES = "braid.source.hedges";
    /**
     * The state of a downstream's circuit breaker, by {@code source} and {@link #BREAKER_STATES state}: 1 for the state
     * it is in, 0 for the two others.
     */
    public static final String BREAKER_STATE = "braid.source.breaker.state";
    public static final List<String> BREAKER_STATES = List.of("closed", "half_open", "open");

    /** Catalog lookups for a page, by {@code result}: ok, dropped_unknown, unavailable. */
    public static final String HYDRATIONS = "braid.hydrations";
    /** Searches and feed pages answered, by endpoint ({@code search}, {@code feed}) and {@link #TIERS tier}. */
    public static final String SEARCHES = "braid.searches";
    public static final List<String> TIERS = List.of("full", "simplified", "cached");
    /** What happened in a cache, by cache and {@link #CACHE_EVENTS event}. */
    public static final String CACHE = "braid.cache";
    public static final List<String> CACHE_EVENTS = List.of(
            "hit-l1", "hit-l2", "stale", "miss", "stale-on-error", "revalidation", "lock-won", "lock-lost",
            "origin-call", "origin-failure", "error", "eviction");
    /** Entries in a cache's memory tier. */
    public static final String CACHE_SIZE = "braid.cache.l1.size";

    /** Failed calls to the shared cache tier (Redis), answered as misses, by {@link #STORE_OPERATIONS operation}. */
    public static final String STORE_ERRORS = "braid.cache.store.errors";
    /** Calls to the shared cache tier skipped because its breaker was open, by {@link #STORE_OPERATIONS operation}. */
    public static final String STORE_SHORT_CIRCUITS = "braid.cache.store.short_circuits";
    /** The state of the shared cache tier's breaker, by {@link #BREAKER_STATES state}: 1 for the one it is in. */
    public static final String STORE_BREAKER_STATE = "braid.cache.store.breaker.state";
    public static final List<String> STORE_OPERATIONS =
            List.of("get", "get_all", "put", "put_all", "lock", "unlock", "generation", "bump_generation");

    /** Events applied, by {@code type} (impression, click, ...). */
    public static final String EVENTS = "braid.events";
    /**
     * Event batches by {@link #EVENT_RESULTS result}: accepted (applied), replayed (an earlier request's answer by its
     * idempotency key), in_flight (409), key_reused (422), invalid (422, nothing applied), unavailable (503, nothing
     * applied), unknown (the store's reply was lost: maybe applied).
     */
    public static final String EVENT_BATCHES = "braid.events.batches";
    public static final List<String> EVENT_RESULTS = List.of("accepted", "replayed", "in_flight", "key_reused", "invalid",
                                                             "unavailable", "unknown");
    /** Accepted event batches whose affinities were skipped because the catalog did not answer in time. */
    public static final String EVENT_AFFINITY_SKIPS = "braid.events.affinity.skips";

    /**
     * Reads of a user's signals before the fan-out, by {@link #USER_SIGNALS_RESULTS result}: ok, error (Redis failed:
     * unknown signals), short_circuit (its breaker was open: unknown signals without a call).
     */
    public static final String USER_SIGNALS = "braid.user.signals";
    public static final List<String> USER_SIGNALS_RESULTS = List.of("ok", "error", "short_circuit");

    /** Answers served in an experiment, by {@code experiment} and {@code variant} (configured names only). */
    public static final String EXPERIMENT_IMPRESSIONS = "braid.experiment.impressions";
    /** Events attributed to an experiment's variant through their recommendation id, by experiment, variant, type. */
    public static final String EXPERIMENT_CONVERSIONS = "braid.experiment.conversions";
    /** Exposures (one per answer) by {@link #EXPOSURE_RESULTS result}: written to the log, dropped (queue full), failed. */
    public static final String EXPOSURES = "braid.exposures";
    public static final List<String> EXPOSURE_RESULTS = List.of("written", "dropped", "failed");
    /** Intra-list diversity of the answers, 0 (all alike) .. 1, by {@code surface}. */
    public static final String DIVERSITY = "braid.recommendation.diversity";
    /** Distinct items served today (UTC) by {@code surface}, estimated (HyperLogLog): the catalog's coverage. */
    public static final String CATALOG_COVERAGE = "braid.catalog.coverage";
    /** Candidates the business rules removed while a list was made, by {@code surface} and {@code rule}. */
    public static final String BLEND_DROPPED = "braid.blend.dropped";
    public static final List<String> BLEND_RULES = List.of("purchased", "missing_metadata", "out_of_stock");
    /** Later pages by {@code surface} and {@code result}: same_list (the cursor's list), list_gone (the current one). */
    public static final String LIST_PAGES = "braid.recommendations.later_pages";
    public static final List<String> LIST_PAGE_RESULTS = List.of("same_list", "list_gone");

    /** Connections the API port closed on its own, by {@link #CONNECTION_CLOSE_REASONS reason}. */
    public static final String CONNECTIONS_CLOSED = "braid.http.connections.closed";
    public static final List<String> CONNECTION_CLOSE_REASONS =
            List.of("idle", "header_timeout", "body_timeout", "response_timeout", "too_many_connections");
    /** The listening ports, as the {@code port} tag of {@link #CONNECTIONS_CLOSED} names them. */
    public static final List<String> PORTS = List.of("api", "admin");
    /** Requests whose client went away (or stalled past the body deadline) while its body was read: not errors. */
    public static final String CLIENT_ABORTS = "braid.http.client.aborts";
    /** Rate-limit decisions by endpoint {@code class} and {@link #RATE_LIMIT_RESULTS result}. */
    public static final String RATE_LIMITS = "braid.ratelimit.decisions";
    public static final List<String> RATE_LIMIT_RESULTS = List.of("allowed", "limited");
    /**
     * Rate-limit decisions taken by this replica alone because Redis could not be asked (each caller gets the limit
     * divided by the replica count), by endpoint {@code class}.
     */
    public static final String RATE_LIMIT_FALLBACKS = "braid.ratelimit.local_fallbacks";
    /**
     * Points in time the feeds asked OpenSearch for, by {@link #SNAPSHOT_RESULTS result}: opened (walks then share it),
     * refused_by_cluster (its limit of open contexts; those walks read newest first).
     */
    public static final String FEED_SNAPSHOTS = "braid.feed.snapshots";
    public static final List<String> SNAPSHOT_RESULTS = List.of("opened", "refused_by_cluster");
    /** Calls a caller could not make because it already held its share of a guard's slots, by {@code guard}. */
    public static final String OVER_CALLER_SHARE = "braid.guard.over_caller_share";

    /**
     * Requests the API port answered, by route, method and status class, in seconds: OpenTelemetry's
     * {@code http.server.request.duration} (exported as {@code http_server_request_duration_seconds}). The buckets hold
     * every latency objective of docs/slo.md as a bound.
     */
    public static final String REQUEST_DURATION = "http.server.request.duration";
    /** Bucket bounds of {@link #REQUEST_DURATION}, in seconds. */
    public static final List<Double> REQUEST_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25,
                                                               0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0);
    /** Answers of the API port by {@code endpoint} and {@link AnswerOutcome outcome}. */
    public static final String ANSWERS = "braid.answers";
    /** Always 1, labelled with the running build: {@code version}, {@code commit}, {@code jdk}. */
    public static final String BUILD_INFO = "braid.build.info";

    /** The fault-tolerance handlers' own meters (Helidon's names, {@code name} = the guard), with the help they lack. */
    private static final Map<String, String> FT_HELP = Map.of(
            "ft.retry.calls.total", "Guarded calls that went through a guard's retry handler, by guard name",
            "ft.retry.retries.total", "Retries a guard's retry handler made, by guard name",
            "ft.timeout.calls.total", "Attempts that went through a guard's timeout handler, by guard name",
            "ft.circuitbreaker.calls.total", "Calls that reached a guard's circuit breaker, by guard name",
            "ft.circuitbreaker.opened.total", "Times a guard's circuit breaker opened, by guard name",
            "ft.bulkhead.calls.total", "Calls a guard's bulkhead let through, by guard name");
    private static final Map<String, String> FT_TIMER_HELP = Map.of(
            "ft.timeout.executionDuration", "Time attempts took inside a guard's timeout handler, in seconds",
            "ft.bulkhead.waitingDuration", "Time calls waited in a guard's bulkhead queue, in seconds");

    /** Calls toward a downstream's fleet-wide quota, by {@code source} and {@link #RATE_LIMIT_RESULTS result}. */
    public static final String QUOTA = "braid.source.quota";
    /** Quota decisions this replica took alone (its share) because the shared count could not be read, by source. */
    public static final String QUOTA_FALLBACKS = "braid.source.quota.fallbacks";
    /** Retries a source did not make although the failure was retryable, by {@code source} and {@link #RETRY_REFUSALS reason}. */
    public static final String RETRIES_REFUSED = "braid.source.retries.refused";
    /** budget: the source's retry budget was spent; quota: its fleet-wide quota had no call left. */
    public static final List<String> RETRY_REFUSALS = List.of("budget", "quota");
    /** Requests the API port answered 503 at once because the replica was at its concurrency bound. */
    public static final String SHED = "braid.http.shed";

    /** Replicas of this process holding a singleton job's lease, by {@code job}: 1 in a pod that holds it. */
    public static final String JOB_LEASE_HELD = "braid.job.lease.held";
    /** Leases of a singleton job taken from another replica (it died, paused, or let go), by {@code job}. */
    public static final String JOB_TAKEOVERS = "braid.job.takeovers";
    /** Writes of a singleton job refused because a newer holder's fencing token had been accepted, by {@code job}. */
    public static final String JOB_FENCED_REJECTED = "braid.job.fenced_writes.rejected";
    /** Runs of a singleton job on the holder, by {@code job} and {@link #JOB_RESULTS result}. */
    public static final String JOB_RUNS = "braid.job.runs";
    public static final List<String> JOB_RESULTS = List.of("done", "fenced", "failed");

    public static final List<String> OUTCOMES =
            List.of("ok", "timeout", "error", "circuit_open", "rate_limited", "rejected", "skipped");
    /** Answers by surface and result: complete, partial, or the degradation they carry. */
    public static final List<String> RESULTS = List.of("complete", "partial", "cold_start", "stale", "default_ranking");

    private final MeterRegistry registry;
    /** Two-tag counters by name, then by their values, once made. */
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    public BraidMeters(MeterRegistry registry) {
        // Before any meter of Braid's is made, anywhere in the JVM (ProcessMeters says why).
        ProcessMeters.bind();
        this.registry = registry;
    }

    /** Each meter's {@code # HELP}: what it counts, in one line. */
    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(SOURCE_CALLS,
                      "Calls to a candidate source by outcome: ok, timeout, error, circuit_open, rate_limited, rejected, skipped"),
            Map.entry(SOURCE_LATENCY,
                      "Latency of the calls to a candidate source that finished, in seconds"),
            Map.entry(RECOMMENDATIONS,
                      "Recommendation answers by surface and result: complete, partial, or the degradation they carry"),
            Map.entry(SOURCE_RETRIES,
                      "Retries of calls to a candidate source"),
            Map.entry(SOURCE_HEDGES,
                      "Second (hedged) requests sent because the first was slower than usual"),
            Map.entry(BREAKER_STATE,
                      "Circuit breaker of a downstream (a source, or OpenSearch's search and feed guards): 1 for the state it is in (closed, half_open, open), 0 for the others"),
            Map.entry(HYDRATIONS,
                      "Catalog lookups that gave items their metadata, by result"),
            Map.entry(SEARCHES,
                      "Searches and feed pages answered, by endpoint and degradation tier"),
            Map.entry(CACHE,
                      "What happened in a cache (hits per tier, misses, stale answers, locks, origin calls), by cache and event"),
            Map.entry(CACHE_SIZE,
                      "Entries in a cache's in-process (L1) tier"),
            Map.entry(STORE_ERRORS,
                      "Failed calls to the shared cache tier (Redis), answered as misses, by operation"),
            Map.entry(STORE_SHORT_CIRCUITS,
                      "Calls to the shared cache tier skipped because its breaker was open, by operation"),
            Map.entry(STORE_BREAKER_STATE,
                      "Breaker of the shared cache tier (Redis): 1 for the state it is in (closed, half_open, open), 0 for the others"),
            Map.entry(EVENTS,
                      "Events applied, by type"),
            Map.entry(EVENT_BATCHES,
                      "Event batches by result: accepted, replayed (by idempotency key), in_flight (409), key_reused (422), "
                      + "invalid (422), unavailable (503, nothing applied), unknown (reply lost: maybe applied)"),
            Map.entry(EVENT_AFFINITY_SKIPS,
                      "Accepted event batches whose affinities were skipped because the catalog did not answer in time"),
            Map.entry(USER_SIGNALS,
                      "Reads of a user's signals (history, categories, purchases), by result"),
            Map.entry(EXPERIMENT_IMPRESSIONS,
                      "Answers served in an experiment, by experiment and variant"),
            Map.entry(EXPERIMENT_CONVERSIONS,
                      "Conversions credited to an experiment's variant through the recommendation id, by type"),
            Map.entry(EXPOSURES,
                      "Exposures (one per answer) by result: written to the log, dropped (queue full), failed"),
            Map.entry(DIVERSITY,
                      "Intra-list diversity of the answers, 0 (all alike) to 1, by surface; one answer in 16 is measured"),
            Map.entry(CATALOG_COVERAGE,
                      "Distinct items served today (UTC), estimated, by surface"),
            Map.entry(BLEND_DROPPED,
                      "Candidates the business rules removed while a list was made, by surface and rule"),
            Map.entry(LIST_PAGES,
                      "Later pages by result: same_list (the cursor's list) or list_gone (continued on the current one)"),
            Map.entry(CONNECTIONS_CLOSED,
                      "Connections a port's guard closed on its own, by port and reason"),
            Map.entry(CLIENT_ABORTS,
                      "Requests whose client went away before its request was read in full: not errors"),
            Map.entry(RATE_LIMITS,
                      "Inbound rate-limit decisions by endpoint class and result"),
            Map.entry(RATE_LIMIT_FALLBACKS,
                      "Rate-limit decisions made with this replica's share because the shared count could not be read"),
            Map.entry(FEED_SNAPSHOTS,
                      "Points in time for feed walks, by result: opened, shared, refused"),
            Map.entry(REQUEST_DURATION,
                      "Requests the API port answered, by route, method and status class, in seconds"),
            Map.entry(ANSWERS,
                      "Answers of the API port by endpoint and outcome: complete, partial, each degradation, rate_limited, shed, client_error, error"),
            Map.entry(BUILD_INFO,
                      "The running build: version, commit and JDK as labels; always 1"),
            Map.entry(QUOTA,
                      "Calls toward a downstream's fleet-wide quota, by result: allowed, limited"),
            Map.entry(QUOTA_FALLBACKS,
                      "Quota decisions taken with this replica's share because the shared count could not be read"),
            Map.entry(RETRIES_REFUSED,
                      "Retryable failures not retried, by reason: budget (the source's retry budget was spent), quota"),
            Map.entry(SHED,
                      "Requests answered 503 at once because the replica was at its concurrency bound"),
            Map.entry(JOB_LEASE_HELD,
                      "Replicas of this process holding a singleton job's lease (1 in the pod that holds it)"),
            Map.entry(JOB_TAKEOVERS,
                      "Leases of a singleton job this process took over from another replica"),
            Map.entry(JOB_FENCED_REJECTED,
                      "Writes of a singleton job refused because a newer holder's fencing token had been accepted"),
            Map.entry(JOB_RUNS,
                      "Runs of a singleton job on the lease holder, by result: done, fenced, failed"),
            Map.entry(OVER_CALLER_SHARE,
                      "Calls a caller could not make because it already held its share of a guard's slots, by guard"));

    /** Creates every series up front, so a dashboard shows zeros instead of gaps for sources that never failed. */
    public void register(Collection<String> sources, Collection<String> surfaces) {
        for (String source : sources) {
            OUTCOMES.forEach(outcome -> counter(SOURCE_CALLS, "source", source, "outcome", outcome));
            latency(source);
        }
        for (String surface : surfaces) {
            RESULTS.forEach(result -> counter(RECOMMENDATIONS, "surface", surface, "result", result));
            BLEND_RULES.forEach(rule -> counter(BLEND_DROPPED, "surface", surface, "rule", rule));
            LIST_PAGE_RESULTS.forEach(result -> counter(LIST_PAGES, "surface", surface, "result", result));
            diversitySummary(surface);
        }
        for (String endpoint : List.of("search", "feed")) {
            TIERS.forEach(tier -> counter(SEARCHES, "endpoint", endpoint, "tier", tier));
        }
        for (String operation : STORE_OPERATIONS) {
            storeCounter(STORE_ERRORS, operation);
            storeCounter(STORE_SHORT_CIRCUITS, operation);
        }
        PORTS.forEach(port -> CONNECTION_CLOSE_REASONS.forEach(reason -> connectionClosedCounter(port, reason)));
        meter(Counter.builder(CLIENT_ABORTS));
        meter(Counter.builder(SHED));
        SNAPSHOT_RESULTS.forEach(this::snapshotCounter);
    }

    /** Creates a downstream quota's series up front, at zero. */
    public void registerQuota(String source) {
        RATE_LIMIT_RESULTS.forEach(result -> counter(QUOTA, "source", source, "result", result));
        meter(Counter.builder(QUOTA_FALLBACKS).tags(List.of(Tag.create("source", source))));
    }

    public void quota(String source, boolean allowed) {
        counter(QUOTA, "source", source, "result", allowed ? "allowed" : "limited").increment();
    }

    public void quotaFallback(String source) {
        meter(Counter.builder(QUOTA_FALLBACKS).tags(List.of(Tag.create("source", source)))).increment();
    }

    public void retryRefused(String source, String reason) {
        counter(RETRIES_REFUSED, "source", source, "reason", reason).increment();
    }

    /** A request shed at the concurrency bound. */
    public void shed() {
        meter(Counter.builder(SHED)).increment();
    }

    /** Requests shed so far (every replica of this JVM). */
    public long shedCount() {
        return meter(Counter.builder(SHED)).count();
    }

    /**
     * Creates a singleton job's series up front and reports how many of this process's replicas hold its lease, read
     * when scraped; a newer job of the same name (replicas in one JVM) replaces the gauge with the same count.
     */
    public void registerJob(String job, Supplier<Integer> holders) {
        List<Tag> tags = List.of(Tag.create("job", job));
        registry.remove(JOB_LEASE_HELD, tags);
        meter(Gauge.builder(JOB_LEASE_HELD, holders).tags(tags));
        meter(Counter.builder(JOB_TAKEOVERS).tags(tags));
        meter(Counter.builder(JOB_FENCED_REJECTED).tags(tags));
        JOB_RESULTS.forEach(result -> counter(JOB_RUNS, "job", job, "result", result));
    }

    public void jobTakeover(String job) {
        meter(Counter.builder(JOB_TAKEOVERS).tags(List.of(Tag.create("job", job)))).increment();
    }

    public void jobFencedRejected(String job) {
        meter(Counter.builder(JOB_FENCED_REJECTED).tags(List.of(Tag.create("job", job)))).increment();
    }

    public void jobRun(String job, String result) {
        counter(JOB_RUNS, "job", job, "result", result).increment();
    }

    /** A connection of {@code port} ({@link #PORTS}) closed by Braid for {@code reason}. */
    public void connectionClosed(String port, String reason) {
        connectionClosedCounter(port, reason).increment();
    }

    public void clientAbort() {
        meter(Counter.builder(CLIENT_ABORTS)).increment();
    }

    /** Client aborts counted so far (every replica of this JVM). */
    public long clientAborts() {
        return meter(Counter.builder(CLIENT_ABORTS)).count();
    }

    /** Connections closed for {@code reason} so far (every replica of this JVM). */
    /** Connections of the API port closed so far for {@code reason} (every replica of this JVM). */
    public long connectionsClosed(String reason) {
        return connectionsClosed("api", reason);
    }

    public long connectionsClosed(String port, String reason) {
        return connectionClosedCounter(port, reason).count();
    }

    /** Creates the rate-limit series of the endpoint classes up front, at zero. */
    public void registerRateLimits(Collection<String> classes) {
        for (String endpointClass : classes) {
            RATE_LIMIT_RESULTS.forEach(result -> counter(RATE_LIMITS, "class", endpointClass, "result", result));
            rateLimitFallbackCounter(endpointClass);
        }
    }

    public void rateLimit(String endpointClass, boolean allowed) {
        counter(RATE_LIMITS, "class", endpointClass, "result", allowed ? "allowed" : "limited").increment();
    }

    public void rateLimitFallback(String endpointClass) {
        rateLimitFallbackCounter(endpointClass).increment();
    }

    public void feedSnapshot(String result) {
        snapshotCounter(result).increment();
    }

    public void overCallerShare(String guard) {
        meter(Counter.builder(OVER_CALLER_SHARE).tags(List.of(Tag.create("guard", guard)))).increment();
    }

    private Counter connectionClosedCounter(String port, String reason) {
        return meter(Counter.builder(CONNECTIONS_CLOSED)
                                            .tags(List.of(Tag.create("port", port), Tag.create("reason", reason))));
    }

    private Counter rateLimitFallbackCounter(String endpointClass) {
        return meter(Counter.builder(RATE_LIMIT_FALLBACKS)
                                            .tags(List.of(Tag.create("class", endpointClass))));
    }

    private Counter snapshotCounter(String result) {
        return meter(Counter.builder(FEED_SNAPSHOTS).tags(List.of(Tag.create("result", result))));
    }

    public void sourceCall(String source, String outcome, Duration took) {
        counter(SOURCE_CALLS, "source", source, "outcome", outcome).increment();
        if (!"skipped".equals(outcome)) {
            latency(source).record(took);
        }
    }

    public void retry(String source) {
        meter(Counter.builder(SOURCE_RETRIES).tags(List.of(Tag.create("source", source)))).increment();
    }

    public void hedge(String source) {
        meter(Counter.builder(SOURCE_HEDGES).tags(List.of(Tag.create("source", source)))).increment();
    }

    /**
     * Reports a breaker's state, read when scraped, as one series per {@link #BREAKER_STATES state}: 1 for the state
     * {@code state} names, 0 for the others. The registry is the JVM's one: a newer instance's breaker (tests, replicas
     * in one JVM) replaces the gauges of an older one.
     */
    public void breakerState(String source, Supplier<String> state) {
        stateGauges(BREAKER_STATE, List.of(Tag.create("source", source)), state);
        RETRY_REFUSALS.forEach(reason -> counter(RETRIES_REFUSED, "source", source, "reason", reason));
        meter(Counter.builder(SOURCE_RETRIES).tags(List.of(Tag.create("source", source))));
        meter(Counter.builder(SOURCE_HEDGES).tags(List.of(Tag.create("source", source))));
    }

    private void stateGauges(String name, List<Tag> tags, Supplier<String> state) {
        for (String each : BREAKER_STATES) {
            List<Tag> tagged = new java.util.ArrayList<>(tags);
            tagged.add(Tag.create("state", each));
            registry.remove(name, tagged);
            meter(Gauge.builder(name, () -> each.equals(state.get()) ? 1 : 0).tags(tagged));
        }
    }

    public void storeError(String operation) {
        storeCounter(STORE_ERRORS, operation).increment();
    }

    public void storeShortCircuit(String operation) {
        storeCounter(STORE_SHORT_CIRCUITS, operation).increment();
    }

    /**
     * Reports the shared tier's breaker state ({@link #BREAKER_STATES}), read when scraped; a newer store (tests,
     * replicas) replaces the gauges.
     */
    public void storeBreakerState(Supplier<String> state) {
        stateGauges(STORE_BREAKER_STATE, List.of(), state);
    }

    public void hydration(String result) {
        meter(Counter.builder(HYDRATIONS).tags(List.of(Tag.create("result", result)))).increment();
    }

    /** Creates a cache's series up front and reports its memory tier's size, read when scraped. */
    public void registerCache(String cache, Supplier<Long> l1Size) {
        CACHE_EVENTS.forEach(event -> counter(CACHE, "cache", cache, "event", event));
        List<Tag> tags = List.of(Tag.create("cache", cache));
        registry.remove(CACHE_SIZE, tags);
        meter(Gauge.builder(CACHE_SIZE, l1Size).tags(tags));
    }

    public void cache(String cache, String event) {
        counter(CACHE, "cache", cache, "event", event).increment();
    }

    public void search(String endpoint, String tier) {
        counter(SEARCHES, "endpoint", endpoint, "tier", tier).increment();
    }

    /** Creates the event series up front, at zero. */
    public void registerEvents(Collection<String> types) {
        types.forEach(type -> eventCounter(type));
        EVENT_RESULTS.forEach(result -> eventBatchCounter(result));
        meter(Counter.builder(EVENT_AFFINITY_SKIPS));
    }

    public void events(String type, long count) {
        eventCounter(type).increment(count);
    }

    public void eventBatch(String result) {
        eventBatchCounter(result).increment();
    }

    public void eventAffinitiesSkipped() {
        meter(Counter.builder(EVENT_AFFINITY_SKIPS)).increment();
    }

    private Counter eventCounter(String type) {
        return meter(Counter.builder(EVENTS).tags(List.of(Tag.create("type", type))));
    }

    private Counter eventBatchCounter(String result) {
        return meter(Counter.builder(EVENT_BATCHES).tags(List.of(Tag.create("result", result))));
    }

    /** Creates an experiment arm's series up front, at zero: impressions, and conversions of each type. */
    public void registerArm(String experiment, String variant, Collection<String> conversionTypes) {
        impressionCounter(experiment, variant);
        conversionTypes.forEach(type -> conversionCounter(experiment, variant, type));
    }

    public void impression(String experiment, String variant) {
        impressionCounter(experiment, variant).increment();
    }

    public void conversion(String experiment, String variant, String type) {
        conversionCounter(experiment, variant, type).increment();
    }

    /** Creates the exposure series up front, at zero. */
    public void registerExposures() {
        EXPOSURE_RESULTS.forEach(result -> exposureCounter(result));
    }

    public void exposures(String result, long count) {
        exposureCounter(result).increment(count);
    }

    /** Records one answer's intra-list diversity, clamped to 0..1. */
    public void diversity(String surface, double diversity) {
        diversitySummary(surface).record(Double.isNaN(diversity) ? 0 : Math.max(0, Math.min(1, diversity)));
    }

    private DistributionSummary diversitySummary(String surface) {
        return meter(DistributionSummary.builder(DIVERSITY)
                                            .tags(List.of(Tag.create("surface", surface)))
                                            // Buckets, not client-side quantiles: histograms aggregate across replicas.
                                            .distributionStatisticsConfig(DistributionStatisticsConfig.builder()
                                                    .percentiles(new double[0])
                                                    .buckets(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)));
    }

    /** Reports a surface's catalog coverage, read when scraped; a newer reporter (tests, replicas) replaces the gauge. */
    public void catalogCoverage(String surface, Supplier<Long> distinctItems) {
        List<Tag> tags = List.of(Tag.create("surface", surface));
        registry.remove(CATALOG_COVERAGE, tags);
        meter(Gauge.builder(CATALOG_COVERAGE, distinctItems).tags(tags));
    }

    private Counter impressionCounter(String experiment, String variant) {
        return counter(EXPERIMENT_IMPRESSIONS, "experiment", experiment, "variant", variant);
    }

    private Counter conversionCounter(String experiment, String variant, String type) {
        return meter(Counter.builder(EXPERIMENT_CONVERSIONS).tags(List.of(
                Tag.create("experiment", experiment), Tag.create("variant", variant), Tag.create("type", type))));
    }

    private Counter exposureCounter(String result) {
        return meter(Counter.builder(EXPOSURES).tags(List.of(Tag.create("result", result))));
    }

    public void recommendation(String surface, String result) {
        counter(RECOMMENDATIONS, "surface", surface, "result", result).increment();
    }

    public void blendDropped(String surface, String rule, int count) {
        if (count > 0) {
            counter(BLEND_DROPPED, "surface", surface, "rule", rule).increment(count);
        }
    }

    public void listContinued(String surface, String result) {
        counter(LIST_PAGES, "surface", surface, "result", result).increment();
    }

    /** Creates the user-signals series up front, at zero. */
    public void registerUserSignals() {
        USER_SIGNALS_RESULTS.forEach(this::userSignalsCounter);
    }

    public void userSignals(String result) {
        userSignalsCounter(result).increment();
    }

    private Counter userSignalsCounter(String result) {
        return meter(Counter.builder(USER_SIGNALS).tags(List.of(Tag.create("result", result))));
    }

    private Counter storeCounter(String name, String operation) {
        return meter(Counter.builder(name).tags(List.of(Tag.create("operation", operation))));
    }

    private Counter counter(String name, String k1, String v1, String k2, String v2) {
        // On the request path: a counter already made is found without building anything.
        Map<String, Counter> byValues = counters.get(name);
        Counter counter = byValues == null ? null : byValues.get(v1 + '\u0000' + v2);
        if (counter != null) {
            return counter;
        }
        Counter made = meter(Counter.builder(name).tags(List.of(Tag.create(k1, v1), Tag.create(k2, v2))));
        counters.computeIfAbsent(name, ignored -> new ConcurrentHashMap<>()).put(v1 + '\u0000' + v2, made);
        return made;
    }

    private Timer latency(String source) {
        return meter(Timer.builder(SOURCE_LATENCY)
                                            .tags(List.of(Tag.create("source", source)))
                                            // Buckets, not client-side quantiles: histograms aggregate across replicas.
                                            .percentiles(new double[0])
                                            .buckets(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                                                     Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                                                     Duration.ofMillis(500), Duration.ofSeconds(1)));
    }

    /**
     * Creates the fault-tolerance handlers' counters and timers of guard {@code name} with their {@code # HELP} lines,
     * before the handlers do (Helidon then finds them and creates none); its timers carry no client-side quantiles.
     */
    public void faultTolerance(String name) {
        List<Tag> tags = List.of(Tag.create("name", name));
        FT_HELP.forEach((meter, help) -> registry.getOrCreate(Counter.builder(meter).scope("vendor").tags(tags)
                                                                      .description(help)));
        FT_TIMER_HELP.forEach((meter, help) -> registry.getOrCreate(Timer.builder(meter).scope("vendor").tags(tags)
                                                                          .description(help)
                                                                          .percentiles(new double[0])));
    }

    /**
     * Replaces the gauges of guard {@code name}'s bulkhead with ones that say what they show and read this bulkhead
     * (Helidon's first bulkhead of a name would otherwise be read forever: tests, replicas in one JVM).
     */
    public void bulkhead(String name, Supplier<Long> running, Supplier<Long> waiting, Supplier<Long> rejected) {
        List<Tag> tags = List.of(Tag.create("name", name));
        Map.of("ft.bulkhead.executionsRunning", Map.entry("Calls running inside a guard's bulkhead, by guard name",
                                                           running),
               "ft.bulkhead.executionsWaiting", Map.entry("Calls waiting in a guard's bulkhead queue, by guard name",
                                                           waiting),
               "ft.bulkhead.executionsRejected", Map.entry("Calls a guard's bulkhead refused since start, by guard name",
                                                            rejected))
                .forEach((meter, help) -> {
                    registry.remove(meter, tags, "vendor");
                    registry.getOrCreate(Gauge.builder(meter, help.getValue()).scope("vendor").tags(tags)
                                                 .description(help.getKey()));
                });
    }

    /** Reports the running build as {@link #BUILD_INFO}. */
    public void buildInfo(String version, String commit, String jdk) {
        List<Tag> tags = List.of(Tag.create("version", version), Tag.create("commit", commit), Tag.create("jdk", jdk));
        if (registry.gauge(BUILD_INFO, tags).isEmpty()) {
            meter(Gauge.builder(BUILD_INFO, () -> 1).tags(tags));
        }
    }

    /**
     * The request meters of one route of the API port: its latency histogram and its answers by outcome.
     *
     * @param route    the route as OpenTelemetry's {@code http.route} names it ({@code /v1/items/{item_id}}), or
     *                 {@code other} for paths no route serves
     * @param endpoint the endpoint's short name in {@link #ANSWERS} ({@code items})
     * @param methods  the methods the route serves, whose series exist from the start
     * @param outcomes the outcomes its answers can have, whose series exist from the start
     */
    public RouteMeters route(String route, String endpoint, List<String> methods, List<AnswerOutcome> outcomes) {
        RouteMeters meters = new RouteMeters(route, endpoint, this);
        for (String method : methods) {
            for (int statusClass = 2; statusClass <= 5; statusClass++) {
                if (statusClass == 3 && !method.equals("GET")) {
                    continue;
                }
                meters.duration(RouteMeters.methodIndex(method), statusClass);
            }
        }
        outcomes.forEach(meters::answers);
        return meters;
    }

    Timer requestDuration(String route, String method, String statusClass) {
        Duration[] buckets = REQUEST_BUCKETS.stream().map(seconds -> Duration.ofNanos((long) (seconds * 1e9)))
                .toArray(Duration[]::new);
        return meter(Timer.builder(REQUEST_DURATION)
                             .tags(List.of(Tag.create("http_route", route), Tag.create("http_request_method", method),
                                           Tag.create("http_response_status_class", statusClass)))
                             // Buckets, not client-side quantiles: histograms aggregate across replicas.
                             .percentiles(new double[0])
                             .buckets(buckets));
    }

    Counter answers(String endpoint, AnswerOutcome outcome) {
        return counter(ANSWERS, "endpoint", endpoint, "outcome", outcome.wireName());
    }

    /** The meter {@code builder} describes, created once, with its {@code # HELP} line. */
    private <B extends Meter.Builder<B, M>, M extends Meter> M meter(B builder) {
        if (builder.description().isEmpty()) {
            builder.description(HELP.getOrDefault(builder.name(), builder.name()));
        }
        return registry.getOrCreate(builder);
    }
}
