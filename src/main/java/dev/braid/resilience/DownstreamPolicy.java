package dev.braid.resilience;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.DownstreamCallEvent;
import dev.braid.observe.RequestContext;
import dev.braid.observe.Spans;
import dev.braid.observe.TraceSpan;

import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.FaultTolerance;
import io.helidon.faulttolerance.FtHandler;
import io.helidon.faulttolerance.Retry;
import io.helidon.faulttolerance.Timeout;
import io.helidon.faulttolerance.TimeoutException;

/**
 * The one place where a downstream's protection is composed, outermost first: rate limit → bulkhead → circuit breaker →
 * retry → timeout → the call. Retry sits inside the breaker, so one request's retries count once toward opening it;
 * the timeout sits inside the retry, so each attempt has its own. Breaker, bulkhead, retry and timeout are Helidon's;
 * the backoff (full jitter, honouring Retry-After, never past the deadline), the rate limit and the retry budget are
 * Braid's.
 *
 * <p>The rate limit is the downstream's quota ({@link CallQuota}: fleet-wide when the composition root gives one): the
 * first attempt and every retry take a call from it. A retry also needs the downstream's retry budget
 * ({@link RetryBudget}: by default a tenth of the calls of the last 10 s), so an outage never multiplies the load.
 */
public final class DownstreamPolicy {
    /** The attempts of the invocation running on this thread: what the retry policy decides on. */
    private static final ScopedValue<Attempts> ATTEMPTS = ScopedValue.newInstance();

    private final String name;
    private final String spanName;
    private final GuardConfig config;
    private final Failures failures;
    private final BraidMeters meters;
    private final TokenBucket rateLimit;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final FtHandler guarded;
    private final FullJitterBackoff backoff;
    private final CallerShares shares;
    private final CallQuota quota;
    private final RetryBudget budget;

    /** How the guarded calls fail, in the downstream's terms. */
    public interface Failures {
        /** Whether asking again may help: a refused connection, a 5xx, throttling. Never other 4xx or unparseable bodies. */
        boolean retryable(Throwable failure);

        /** The downstream's own word on when to ask again. */
        Optional<Duration> retryAfter(Throwable failure);

        /** A short outcome name for profiling events (timeout, error, ...). */
        String outcome(Throwable failure);

        /**
         * Whether the failure says the downstream is unwell, and so counts toward opening its breaker; {@code false} for
         * a refusal of one request that says nothing of the rest (a cluster declining another point in time).
         */
        default boolean counts(Throwable failure) {
            return true;
        }
    }

    /** A failure the breaker must not count ({@link Failures#counts}); unwrapped before it leaves the policy. */
    private static final class NotCounted extends RuntimeException {
        private final RuntimeException failure;

        NotCounted(RuntimeException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    /** Why the guard refused or cut a call, without the downstream having failed it. */
    public enum Refusal {
        RATE_LIMITED, REJECTED, CIRCUIT_OPEN, TIMEOUT
    }

    /** The guard refused or cut the call; {@link #refusal()} says how. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal, String message, Throwable cause) {
            super(message, cause);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Counted on this replica alone: {@code rate-limit} per replica (tests, tools). */
    public DownstreamPolicy(String name, GuardConfig config, Failures failures, BraidMeters meters) {
        this(name, config, failures, meters, null);
    }

    /**
     * @param quota the downstream's quota (fleet-wide), taken by every attempt; {@code null}: {@code rate-limit} counted
     *              on this replica
     */
    public DownstreamPolicy(String name, GuardConfig config, Failures failures, BraidMeters meters, CallQuota quota) {
        this.name = name;
        this.spanName = name + " attempt";
        this.config = config;
        // Before the handlers exist: they find their meters made, with their help lines.
        meters.faultTolerance(name);
        this.failures = failures;
        this.meters = meters;
        // The bucket keeps the downstream's own hold-offs (Retry-After) on this replica; it counts the rate only when no
        // quota is given.
        this.rateLimit = config.rateLimit() > 0 && quota == null
                ? new TokenBucket(config.rateLimit(), config.rateBurst(), System::nanoTime)
                : TokenBucket.unlimited(System::nanoTime);
        this.quota = quota == null ? CallQuota.unlimited() : quota;
        this.budget = new RetryBudget(config.retry().budget(), System::nanoTime);
        this.backoff = new FullJitterBackoff(config.retry().baseDelay(), config.retry().maxDelay(),
                                             () -> ThreadLocalRandom.current().nextDouble());
        this.breaker = CircuitBreaker.builder()
                .name(name)
                .volume(config.breaker().volume())
                .errorRatio(config.breaker().failureRatio())
                .delay(config.breaker().openFor())
                .successThreshold(config.breaker().probes())
                .skipOn(Set.of(NotCounted.class))
                .enableMetrics(true)
                .build();
        this.shares = config.perCaller() ? new CallerShares(config, System::nanoTime) : null;
        this.bulkhead = Bulkhead.builder()
                .name(name)
                .limit(config.bulkhead().maxConcurrent())
                .queueLength(config.bulkhead().queue())
                .enableMetrics(true)
                .build();
        // FaultTolerance.builder() nests in the order handlers are added: the first one added is the innermost.
        this.guarded = FaultTolerance.builder()
                .addTimeout(Timeout.builder()
                                    .name(name)
                                    .timeout(config.attemptTimeout())
                                    // On the caller's thread, interrupted when the time is up: the default runs the
                                    // call on another thread and, at the timeout, leaves it running with its socket.
                                    .currentThread(true)
                                    .enableMetrics(true)
                                    .build())
                .addRetry(Retry.builder()
                                  .name(name)
                                  .calls(config.retry().attempts())
                                  .retryPolicy(this::nextDelayMillis)
                                  // The request's deadline bounds the retries, not a fixed overall timeout.
                                  .overallTimeout(Duration.ofHours(1))
                                  .enableMetrics(true)
                                  .build())
                .addBreaker(breaker)
                .addBulkhead(bulkhead)
                .build();
        meters.breakerState(name, this::breakerState);
        meters.bulkhead(name, () -> bulkhead.stats().concurrentExecutions(), () -> bulkhead.stats().waitingQueueSize(),
                        () -> bulkhead.stats().callsRejected());
    }

    public GuardConfig config() {
        return config;
    }

    /** {@code closed}, {@code half_open} or {@code open}. */
    public String breakerState() {
        return breaker.state().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Runs {@code call} under the guard, never past {@code deadline}.
     *
     * @throws RefusedException when the guard refused or cut the call
     * @throws RuntimeException the call's own last failure when it failed and retrying did not help (or was not allowed)
     */
    public <T> T invoke(Deadline deadline, Supplier<T> call) {
        if (!rateLimit.tryAcquire() || !quota.tryAcquire()) {
            throw new RefusedException(Refusal.RATE_LIMITED, name + ": over the downstream's quota, or held off by "
                                                             + "its Retry-After", null);
        }
        budget.call();
        CallerShares.Share share = enterShare();
        if (share == null) {
            return guarded(deadline, call);
        }
        boolean succeeded = false;
        boolean counted = false;
        try {
            T result = guarded(deadline, call);
            succeeded = true;
            return result;
        } catch (RefusedException e) {
            counted = e.refusal() == Refusal.TIMEOUT;
            throw e;
        } catch (RuntimeException e) {
            counted = failures.counts(e);
            throw e;
        } finally {
            if (succeeded) {
                share.succeeded();
            } else if (counted) {
                share.failed();
            } else {
                share.released();
            }
        }
    }

    /** The caller's slot, or {@code null} when calls are not shared out per caller (or outside a request). */
    private CallerShares.Share enterShare() {
        String caller = RequestContext.currentCaller();
        if (shares == null || caller == null) {
            return null;
        }
        try {
            return shares.enter(caller);
        } catch (CallerShares.RefusedException e) {
            throw switch (e.refusal()) {
                case OVER_SHARE -> {
                    meters.overCallerShare(name);
                    yield new RefusedException(Refusal.REJECTED, name + ": this caller already has its share of calls "
                                                                 + "in flight", null);
                }
                case CALLER_OPEN -> new RefusedException(Refusal.CIRCUIT_OPEN, name + ": this caller's calls kept "
                                                         + "failing; refused a while, for it alone", null);
            };
        }
    }

    private <T> T guarded(Deadline deadline, Supplier<T> call) {
        Attempts attempts = new Attempts(deadline);
        try {
            return ScopedValue.where(ATTEMPTS, attempts).call(() -> guarded.invoke(() -> attempt(attempts, call)));
        } catch (CircuitBreakerOpenException e) {
            throw new RefusedException(Refusal.CIRCUIT_OPEN, name + ": circuit breaker open", e);
        } catch (BulkheadException e) {
            throw new RefusedException(Refusal.REJECTED, name + ": bulkhead full", e);
        } catch (TimeoutException e) {
            throw new RefusedException(Refusal.TIMEOUT, name + ": no answer within " + config.attemptTimeout().toMillis()
                                                        + "ms", e);
        } catch (RuntimeException e) {
            RuntimeException failure = e instanceof NotCounted notCounted ? notCounted.failure : e;
            if (failure.getCause() instanceof InterruptedException) {
                // Helidon's retry wraps an interrupted backoff sleep: the request was cancelled at its deadline.
                throw new RefusedException(Refusal.TIMEOUT, name + ": cancelled while backing off", failure);
            }
            if (attempts.cancelled) {
                // The call gave up because its thread was interrupted: the attempt's timeout or the request's deadline
                // cut it. Helidon interrupts before it marks the timeout, so a call that ends fast can outrun the mark.
                throw new RefusedException(Refusal.TIMEOUT, name + ": cut at its time limit", failure);
            }
            failures.retryAfter(failure).ifPresent(rateLimit::holdOff);
            throw failure;
        }
    }

    private <T> T attempt(Attempts attempts, Supplier<T> call) {
        int attempt = ++attempts.count;
        if (attempt > 1) {
            meters.retry(name);
        }
        DownstreamCallEvent event = new DownstreamCallEvent();
        event.begin();
        // One span per attempt, so retries show as siblings; the downstream call's own span is its child.
        TraceSpan span = Spans.internal(spanName).set("braid.source", name).set("braid.attempt", attempt);
        String outcome = "ok";
        try {
            return span.run(call);
        } catch (RuntimeException e) {
            attempts.last = e;
            attempts.cancelled = Thread.currentThread().isInterrupted();
            outcome = failures.outcome(e);
            span.failed(outcome).set("braid.outcome", outcome);
            throw failures.counts(e) ? e : new NotCounted(e);
        } finally {
            span.end();
            if (event.shouldCommit()) {
                event.requestId = RequestContext.currentRequestId();
                event.source = name;
                event.attempt = attempt;
                event.outcome = outcome;
                event.breakerState = breakerState();
                event.commit();
            }
        }
    }

    /**
     * Helidon's retry asks this before each retry: how long to wait, or empty to give up. Retries only what may pass,
     * waits what the downstream asked for (Retry-After) or a full-jitter backoff, and never waits past the deadline.
     */
    private Optional<Long> nextDelayMillis(long firstCallMillis, long lastDelay, int retry) {
        Attempts attempts = ATTEMPTS.isBound() ? ATTEMPTS.get() : null;
        if (attempts == null || attempts.last == null || attempts.cancelled || !failures.retryable(attempts.last)
            || attempts.count >= config.retry().attempts()) {
            return Optional.empty();
        }
        Duration wait = failures.retryAfter(attempts.last).orElseGet(() -> backoff.delay(Math.max(0, retry - 1)));
        // The retry itself needs time too: a wait that leaves nothing for the call is no retry.
        if (wait.compareTo(attempts.deadline.remaining()) >= 0) {
            return Optional.empty();
        }
        if (!budget.tryRetry()) {
            meters.retryRefused(name, "budget");
            return Optional.empty();
        }
        if (!rateLimit.tryAcquire() || !quota.tryAcquire()) {
            budget.refund();
            meters.retryRefused(name, "quota");
            return Optional.empty();
        }
        return Optional.of(wait.toMillis());
    }

    private static final class Attempts {
        private final Deadline deadline;
        private int count;
        private RuntimeException last;
        private boolean cancelled;

        Attempts(Deadline deadline) {
            this.deadline = deadline;
        }
    }
}
