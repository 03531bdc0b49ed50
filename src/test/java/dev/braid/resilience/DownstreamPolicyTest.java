package dev.braid.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.RequestContext;
import dev.braid.observe.TraceParent;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The composition of one downstream's guard, on calls the test controls: what is retried and when, what the breaker,
 * the bulkhead and the timeout refuse. The real downstreams' failures are FaultMatrixIT's subject.
 */
class DownstreamPolicyTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    /** A failure the test classifies itself. */
    static final class Failure extends RuntimeException {
        final boolean retryable;
        final Duration retryAfter;

        Failure(boolean retryable, Duration retryAfter) {
            super(retryable ? "transient" : "permanent");
            this.retryable = retryable;
            this.retryAfter = retryAfter;
        }
    }

    private static final DownstreamPolicy.Failures FAILURES = new DownstreamPolicy.Failures() {
        @Override
        public boolean retryable(Throwable failure) {
            return failure instanceof Failure f && f.retryable;
        }

        @Override
        public Optional<Duration> retryAfter(Throwable failure) {
            return failure instanceof Failure f ? Optional.ofNullable(f.retryAfter) : Optional.empty();
        }

        @Override
        public String outcome(Throwable failure) {
            return "error";
        }
    };

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void aTransientFailureIsRetriedAndAPermanentOneIsNot() {
        DownstreamPolicy policy = policy(guard(3, 20));
        assertThat(policy.invoke(Deadline.after(LONG), failingFirst(1, new Failure(true, null)))).isEqualTo("answer");
        assertThat(calls).hasValue(2);

        calls.set(0);
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), failingFirst(5, new Failure(false, null))))
                .isInstanceOf(Failure.class);
        assertThat(calls).as("never retried").hasValue(1);

        calls.set(0);
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), failingFirst(5, new Failure(true, null))))
                .isInstanceOf(Failure.class);
        assertThat(calls).as("attempts in all").hasValue(3);
    }

    @Test
    void retryAfterIsWaitedForButNeverPastTheDeadline() {
        DownstreamPolicy policy = policy(guard(2, 20));
        AtomicLong first = new AtomicLong();
        AtomicLong second = new AtomicLong();
        String answer = policy.invoke(Deadline.after(LONG), () -> {
            if (calls.incrementAndGet() == 1) {
                first.set(System.nanoTime());
                throw new Failure(true, Duration.ofMillis(80));
            }
            second.set(System.nanoTime());
            return "answer";
        });
        assertThat(answer).isEqualTo("answer");
        assertThat(Duration.ofNanos(second.get() - first.get())).isGreaterThanOrEqualTo(Duration.ofMillis(80));

        calls.set(0);
        long started = System.nanoTime();
        assertThatThrownBy(() -> policy.invoke(Deadline.after(Duration.ofMillis(100)),
                                               failingFirst(5, new Failure(true, Duration.ofSeconds(2)))))
                .isInstanceOf(Failure.class);
        assertThat(calls).as("a wait past the deadline is no retry").hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));

        calls.set(0);
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), () -> "answer"))
                .isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .as("held off for the rest of the Retry-After").isEqualTo(DownstreamPolicy.Refusal.RATE_LIMITED);
    }

    @Test
    void theBreakerOpensOnceItsWindowIsFullOfFailuresAndThenAnswersAtOnce() {
        DownstreamPolicy policy = policy(guard(1, 4));
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), failingFirst(100, new Failure(false, null))))
                    .isInstanceOf(Failure.class);
        }
        assertThat(policy.breakerState()).isEqualTo("open");
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), () -> "answer"))
                .isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .isEqualTo(DownstreamPolicy.Refusal.CIRCUIT_OPEN);
        assertThat(calls).as("an open breaker does not call").hasValue(4);
    }

    @Test
    void aFullBulkheadRejectsAtOnce() throws Exception {
        GuardConfig base = guard(1, 20);
        DownstreamPolicy policy = policy(new GuardConfig(base.attemptTimeout(), 0, 1, new GuardConfig.Bulkhead(1, 0),
                                                         base.breaker(), base.retry(), false, null));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> policy.invoke(Deadline.after(LONG), () -> {
            inside.countDown();
            await(release);
            return "held";
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), () -> "answer"))
                .isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .isEqualTo(DownstreamPolicy.Refusal.REJECTED);
        release.countDown();
        holder.join();
        assertThat(policy.invoke(Deadline.after(LONG), () -> "answer")).isEqualTo("answer");
    }

    @Test
    void theAttemptTimeoutInterruptsTheCallOnItsOwnThread() {
        GuardConfig base = guard(2, 20);
        DownstreamPolicy policy = policy(new GuardConfig(Duration.ofMillis(50), 0, 1, base.bulkhead(), base.breaker(),
                                                         base.retry(), false, null));
        AtomicInteger interrupted = new AtomicInteger();
        Thread caller = Thread.currentThread();
        long started = System.nanoTime();
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), () -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            try {
                Thread.sleep(LONG);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            throw new Failure(false, null);
        })).isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .isEqualTo(DownstreamPolicy.Refusal.TIMEOUT);
        assertThat(interrupted).hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(Thread.currentThread().isInterrupted()).as("the caller is not left interrupted").isFalse();
    }

    @Test
    void oneCallersFailuresCloseItsOwnWayAloneAndNeverOpenTheSharedBreaker() {
        DownstreamPolicy policy = policy(sharedOut(20, 2));
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> as("u:flooder", () -> policy.invoke(Deadline.after(LONG), () -> {
                calls.incrementAndGet();
                throw new Failure(false, null);
            }))).isInstanceOfAny(Failure.class, DownstreamPolicy.RefusedException.class);
        }
        // Two failures reached the downstream, then the flooder was refused at once, alone.
        assertThat(calls).hasValue(2);
        assertThat(policy.breakerState()).isEqualTo("closed");
        assertThatThrownBy(() -> as("u:flooder", () -> policy.invoke(Deadline.after(LONG), () -> "answer")))
                .isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .isEqualTo(DownstreamPolicy.Refusal.CIRCUIT_OPEN);
        assertThat(as("u:bystander", () -> policy.invoke(Deadline.after(LONG), () -> "answer"))).isEqualTo("answer");
    }

    @Test
    void failuresFromManyCallersStillOpenTheSharedBreaker() {
        // Each caller is cut off alone after two failures; three of them together still fill the window.
        DownstreamPolicy policy = policy(sharedOut(6, 2));
        for (int caller = 0; caller < 3; caller++) {
            String name = "u:" + caller;
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> as(name, () -> policy.invoke(Deadline.after(LONG),
                                                                      failingFirst(100, new Failure(false, null)))))
                        .isInstanceOf(Failure.class);
            }
        }
        assertThat(policy.breakerState()).as("an outage everybody sees").isEqualTo("open");
    }

    @Test
    void aCallerMayHoldOnlyItsShareOfTheSlots() throws Exception {
        GuardConfig base = sharedOut(20, 0);
        DownstreamPolicy policy = policy(new GuardConfig(base.attemptTimeout(), 0, 1, new GuardConfig.Bulkhead(8, 0, 1),
                                                         base.breaker(), base.retry(), false, null));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> as("u:greedy", () -> policy.invoke(Deadline.after(LONG), () -> {
            inside.countDown();
            await(release);
            return "held";
        })));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> as("u:greedy", () -> policy.invoke(Deadline.after(LONG), () -> "second")))
                .isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .isEqualTo(DownstreamPolicy.Refusal.REJECTED);
        assertThat(as("u:other", () -> policy.invoke(Deadline.after(LONG), () -> "answer"))).isEqualTo("answer");
        release.countDown();
        holder.join();
        assertThat(as("u:greedy", () -> policy.invoke(Deadline.after(LONG), () -> "again"))).isEqualTo("again");
    }

    @Test
    void aFailureThatSaysNothingOfTheDownstreamNeverOpensItsBreaker() {
        DownstreamPolicy policy = new DownstreamPolicy("test-" + System.nanoTime(), guard(1, 4), new DownstreamPolicy.Failures() {
            @Override
            public boolean retryable(Throwable failure) {
                return false;
            }

            @Override
            public Optional<Duration> retryAfter(Throwable failure) {
                return Optional.empty();
            }

            @Override
            public String outcome(Throwable failure) {
                return "error";
            }

            @Override
            public boolean counts(Throwable failure) {
                return false;
            }
        }, new BraidMeters(Metrics.globalRegistry()));
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), failingFirst(100, new Failure(false, null))))
                    .as("the failure itself, not a wrapper").isExactlyInstanceOf(Failure.class);
        }
        assertThat(policy.breakerState()).isEqualTo("closed");
    }

    @Test
    void duringAnOutageRetriesAddAtMostTheBudgetNotAMultipleOfTheLoad() {
        // Three attempts per call: without a budget, 300 failing calls would send 900.
        DownstreamPolicy policy = policy(new GuardConfig(Duration.ofSeconds(5), 0, 10, new GuardConfig.Bulkhead(8, 0),
                                                         new GuardConfig.Breaker(100_000, 100, Duration.ofSeconds(30), 1),
                                                         new GuardConfig.Retry(3, Duration.ofNanos(1), Duration.ofNanos(1),
                                                                               new GuardConfig.Budget(0.1,
                                                                                       Duration.ofSeconds(10), 1)),
                                                         false, null));
        for (int i = 0; i < 300; i++) {
            assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), failingFirst(Integer.MAX_VALUE,
                                                                                      new Failure(true, null))))
                    .isInstanceOf(Failure.class);
        }

        // 300 first attempts, retries at most 10% of them plus 1 a second over the window (10).
        assertThat(calls.get()).isBetween(300, 300 + 30 + 10);
        assertThat(calls.get()).as("retries did happen").isGreaterThan(300);
    }

    @Test
    void everyAttemptTakesACallFromTheQuotaAndARetryWithoutOneIsNotMade() {
        AtomicInteger permits = new AtomicInteger(1);
        DownstreamPolicy policy = new DownstreamPolicy("test-" + System.nanoTime(), guard(3, 20), FAILURES,
                                                       new BraidMeters(Metrics.globalRegistry()),
                                                       () -> permits.getAndDecrement() > 0);

        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), failingFirst(5, new Failure(true, null))))
                .isInstanceOf(Failure.class);
        assertThat(calls).as("the first attempt took the only call; no retry without another").hasValue(1);
        assertThatThrownBy(() -> policy.invoke(Deadline.after(LONG), () -> "answer"))
                .isInstanceOf(DownstreamPolicy.RefusedException.class)
                .extracting(e -> ((DownstreamPolicy.RefusedException) e).refusal())
                .isEqualTo(DownstreamPolicy.Refusal.RATE_LIMITED);
        assertThat(calls).hasValue(1);
    }

    /** Runs {@code call} as a request of {@code caller}. */
    private static <T> T as(String caller, Supplier<T> call) {
        return RequestContext.bind(new RequestContext("req", TraceParent.startTrace(), caller)).call(call::get);
    }

    private static GuardConfig sharedOut(int volume, int callerFailures) {
        return new GuardConfig(Duration.ofSeconds(5), 0, 10, new GuardConfig.Bulkhead(8, 0, 0),
                               new GuardConfig.Breaker(volume, 50, Duration.ofSeconds(30), 1, callerFailures),
                               new GuardConfig.Retry(1, Duration.ofMillis(1), Duration.ofMillis(5)), false, null);
    }

    private Supplier<String> failingFirst(int failures, RuntimeException failure) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
            return "answer";
        };
    }

    private static GuardConfig guard(int attempts, int volume) {
        return new GuardConfig(Duration.ofSeconds(5), 0, 10, new GuardConfig.Bulkhead(8, 0),
                               new GuardConfig.Breaker(volume, 100, Duration.ofSeconds(30), 1),
                               new GuardConfig.Retry(attempts, Duration.ofMillis(1), Duration.ofMillis(5)), false, null);
    }

    private static DownstreamPolicy policy(GuardConfig config) {
        return new DownstreamPolicy("test-" + System.nanoTime(), config, FAILURES, new BraidMeters(Metrics.globalRegistry()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
