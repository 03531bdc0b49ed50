package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.Reranker;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;
import dev.braid.resilience.DownstreamPolicy;
import dev.braid.resilience.GuardConfig;
import dev.braid.resilience.LatencyWindow;

/**
 * A candidate source behind its {@link DownstreamPolicy}: every call, and every re-ranking, goes through the source's
 * rate limit, bulkhead, breaker, retries and timeout, and the guard's refusals become envelope statuses.
 */
public final class GuardedSource implements CandidateSource {
    private final CandidateSource source;
    private final DownstreamPolicy policy;
    private final LatencyWindow latencies = new LatencyWindow(256);

    public GuardedSource(CandidateSource source, DownstreamPolicy policy) {
        this.source = source;
        this.policy = policy;
    }

    /** How {@link SourceException}s fail, in the policy's terms. */
    public static final DownstreamPolicy.Failures FAILURES = new DownstreamPolicy.Failures() {
        @Override
        public boolean retryable(Throwable failure) {
            return failure instanceof SourceException e && e.retryable();
        }

        @Override
        public Optional<Duration> retryAfter(Throwable failure) {
            return failure instanceof SourceException e ? e.retryAfter() : Optional.empty();
        }

        @Override
        public String outcome(Throwable failure) {
            return failure instanceof SourceException e ? e.status().wireName() : SourceStatus.ERROR.wireName();
        }
    };

    @Override
    public SourceId id() {
        return source.id();
    }

    @Override
    public CandidateBatch fetch(CandidateQuery query) {
        long started = System.nanoTime();
        CandidateBatch batch = guarded(query.deadline(), () -> source.fetch(query));
        latencies.record(Duration.ofNanos(System.nanoTime() - started));
        return batch;
    }

    /** Re-ranks through the same guard as the source's own calls. */
    public CandidateBatch rerank(CandidateQuery query, List<String> itemIds) {
        if (!(source instanceof Reranker reranker)) {
            throw new SourceException(SourceStatus.ERROR, id() + " cannot re-rank");
        }
        return guarded(query.deadline(), () -> reranker.rerank(query, itemIds));
    }

    /** When to send a hedged second request: the configured delay, or this source's measured p95. */
    @Override
    public Optional<Duration> hedgeAfter() {
        GuardConfig config = policy.config();
        if (!config.hedge()) {
            return Optional.empty();
        }
        return config.hedgeAfter() != null ? Optional.of(config.hedgeAfter()) : latencies.p95();
    }

    /** The source itself, without its guard: for operators' views and tests. */
    public CandidateSource unguarded() {
        return source;
    }

    public String breakerState() {
        return policy.breakerState();
    }

    @Override
    public void close() {
        source.close();
    }

    private CandidateBatch guarded(Deadline deadline, java.util.function.Supplier<CandidateBatch> call) {
        try {
            return policy.invoke(deadline, call);
        } catch (DownstreamPolicy.RefusedException e) {
            SourceStatus status = switch (e.refusal()) {
                case RATE_LIMITED -> SourceStatus.RATE_LIMITED;
                case REJECTED -> SourceStatus.REJECTED;
                case CIRCUIT_OPEN -> SourceStatus.CIRCUIT_OPEN;
                case TIMEOUT -> SourceStatus.TIMEOUT;
            };
            throw new SourceException(status, e.getMessage(), e);
        }
    }
}
