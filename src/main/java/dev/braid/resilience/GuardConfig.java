package dev.braid.resilience;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * How one downstream is protected, outermost first: a client-side rate limit toward its quota, a bulkhead, a circuit
 * breaker, retries with full-jitter backoff, and a timeout per attempt. Read from the downstream's own config node.
 *
 * @param attemptTimeout the most one attempt may take (the downstream's {@code timeout}); the request's deadline may cut it shorter
 * @param rateLimit      calls per second toward the downstream, for the whole fleet (its quota: Personalize's TPS per
 *                       campaign, Databricks' QPS per workspace); 0 means no limit
 * @param rateBurst      calls that may go at once after a quiet spell, fleet-wide
 * @param hedgeAfter     when to send a second request if the first has not answered: a fixed delay, or {@code null} for
 *                       the downstream's measured p95; only when {@code hedge} is on
 */
public record GuardConfig(Duration attemptTimeout, double rateLimit, int rateBurst, Bulkhead bulkhead, Breaker breaker,
                          Retry retry, boolean hedge, Duration hedgeAfter) {

    /**
     * @param maxConcurrent calls in flight at once
     * @param queue         calls that may wait for a free slot; beyond that a call is rejected at once
     * @param perCaller     calls one caller may have in flight at once (0: no share); beyond that the caller's call is
     *                      rejected, so one caller's load cannot take every slot
     */
    public record Bulkhead(int maxConcurrent, int queue, int perCaller) {
        public Bulkhead {
            Rule.atLeast("max-concurrent", maxConcurrent, 1);
            Rule.atLeast("queue", queue, 0);
            Rule.check(perCaller >= 0 && perCaller <= maxConcurrent, "per-caller",
                       "must be 0 (no share) .. max-concurrent (was " + perCaller + ")");
        }

        public Bulkhead(int maxConcurrent, int queue) {
            this(maxConcurrent, queue, 0);
        }
    }

    /**
     * @param volume        results in the rolling window; the breaker can only open once it is full, so size it to the
     *                      traffic the downstream sees within a few seconds
     * @param failureRatio  percentage of failures in the window that opens the breaker
     * @param openFor       how long an open breaker refuses calls before letting probes through
     * @param probes        successful probes in a row that close it again
     * @param callerFailures failures in a row after which one caller's calls are refused for {@code openFor}, that
     *                       caller alone; 0: off. Its failures then stop reaching the shared breaker, so one caller
     *                       cannot open it for everybody
     */
    public record Breaker(int volume, int failureRatio, Duration openFor, int probes, int callerFailures) {
        public Breaker {
            Rule.atLeast("volume", volume, 1);
            Rule.check(failureRatio >= 1 && failureRatio <= 100, "failure-ratio", "must be 1..100 (was " + failureRatio + ")");
            Rule.positive("open-for", openFor);
            Rule.atLeast("probes", probes, 1);
            Rule.atLeast("caller-failures", callerFailures, 0);
        }

        public Breaker(int volume, int failureRatio, Duration openFor, int probes) {
            this(volume, failureRatio, openFor, probes, 0);
        }
    }

    /** Whether calls are shared out per caller at all. */
    public boolean perCaller() {
        return bulkhead.perCaller() > 0 || breaker.callerFailures() > 0;
    }

    /**
     * @param attempts  calls in all, the first included; 1 disables retries
     * @param baseDelay the backoff's first ceiling; it doubles with each retry up to {@code maxDelay}, and the actual
     *                  wait is drawn uniformly below it (full jitter)
     * @param budget    how many retries the downstream's calls may add
     */
    public record Retry(int attempts, Duration baseDelay, Duration maxDelay, Budget budget) {
        public Retry {
            Rule.check(attempts >= 1 && attempts <= 10, "attempts", "must be 1..10 (was " + attempts + ")");
            Rule.positive("base-delay", baseDelay);
            Rule.check(maxDelay.compareTo(baseDelay) >= 0, "max-delay", "must be at least base-delay");
            Rule.check(budget != null, "budget", "must be set");
        }

        /** With the default budget. */
        public Retry(int attempts, Duration baseDelay, Duration maxDelay) {
            this(attempts, baseDelay, maxDelay, Budget.DEFAULT);
        }
    }

    /**
     * A retry budget (gRPC, Finagle): retries may add at most {@code ratio} of the calls made over the last
     * {@code window}, plus {@code minPerSecond} a second however few the calls, so that during an outage retries never
     * multiply the load on the failing downstream.
     */
    public record Budget(double ratio, Duration window, double minPerSecond) {
        public static final Budget DEFAULT = new Budget(0.1, Duration.ofSeconds(10), 1);

        public Budget {
            Rule.check(ratio >= 0 && ratio <= 1, "ratio", "must be 0..1 (was " + ratio + ")");
            Rule.check(window != null && window.toMillis() >= 100, "window", "must be at least 100ms");
            Rule.check(minPerSecond >= 0 && Double.isFinite(minPerSecond), "min-per-second",
                       "must be >= 0 (was " + minPerSecond + ")");
        }
    }

    public GuardConfig {
        Rule.positive("timeout", attemptTimeout);
        Rule.check(rateLimit >= 0 && Double.isFinite(rateLimit), "rate-limit", "must be >= 0 calls per second (0: no limit)");
        Rule.atLeast("rate-burst", rateBurst, 1);
        Rule.check(hedgeAfter == null || hedgeAfter.isPositive(), "hedge-after", "must be positive, or 'p95'");
    }

    private static Budget budget(Settings node) {
        return node.bind(() -> new Budget(node.decimal("ratio", Budget.DEFAULT.ratio()),
                                          node.duration("window", Budget.DEFAULT.window()),
                                          node.decimal("min-per-second", Budget.DEFAULT.minPerSecond())));
    }

    /** Reads the guard from a downstream's node; {@code defaultTimeout} is that kind of downstream's default. */
    public static GuardConfig read(Settings node, Duration defaultTimeout) {
        return read(node, defaultTimeout, 0, 0);
    }

    /**
     * As {@link #read(Settings, Duration)}, with defaults for the per-caller shares: for a guard that many callers share
     * and that a single caller's load could otherwise exhaust (OpenSearch's searches and feeds).
     */
    public static GuardConfig read(Settings node, Duration defaultTimeout, int perCaller, int callerFailures) {
        Settings bulkhead = node.child("bulkhead");
        Settings breaker = node.child("breaker");
        Settings retry = node.child("retry");
        String hedgeAfter = node.string("hedge-after", "p95").trim();
        return new GuardConfig(
                node.duration("timeout", defaultTimeout),
                node.decimal("rate-limit", 0),
                node.integer("rate-burst", 10),
                bulkhead.bind(() -> new Bulkhead(bulkhead.integer("max-concurrent", 64), bulkhead.integer("queue", 0),
                                                 bulkhead.integer("per-caller", perCaller))),
                breaker.bind(() -> new Breaker(breaker.integer("volume", 20), breaker.integer("failure-ratio", 50),
                                               breaker.duration("open-for", Duration.ofSeconds(5)),
                                               breaker.integer("probes", 2),
                                               breaker.integer("caller-failures", callerFailures))),
                retry.bind(() -> new Retry(retry.integer("attempts", 2), retry.duration("base-delay", Duration.ofMillis(10)),
                                           retry.duration("max-delay", Duration.ofMillis(100)), budget(retry.child("budget")))),
                node.bool("hedge", false),
                hedgeAfter.equalsIgnoreCase("p95") ? null : node.duration("hedge-after", null));
    }
}
