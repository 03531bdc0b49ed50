package dev.braid.recommend.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.RequestContext;
import dev.braid.observe.TraceParent;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out's logic with in-process sources; the real HTTP clients are exercised in the integration tests. */
class CandidateFanoutTest {
    private static final RecommendationRequest REQUEST =
            new RecommendationRequest("u1", "home", 10, Set.of(), null, null, null);

    private final CandidateFanout fanout = new CandidateFanout(new BraidMeters(Metrics.globalRegistry()));

    record FakeSource(SourceId id, Function<CandidateQuery, CandidateBatch> answer) implements CandidateSource {
        @Override
        public CandidateBatch fetch(CandidateQuery query) {
            return answer.apply(query);
        }
    }

    @Test
    void keepsWhatArrivedAndCancelsWhatDidNotAtTheDeadline() throws InterruptedException {
        CountDownLatch hangStarted = new CountDownLatch(1);
        CountDownLatch hangInterrupted = new CountDownLatch(1);
        CandidateSource fast = source("fast", q -> batch("i1", "i2"));
        CandidateSource hung = source("hung", q -> {
            hangStarted.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                hangInterrupted.countDown();
            }
            throw new SourceException(SourceStatus.ERROR, "interrupted");
        });

        long started = System.nanoTime();
        FanoutResult result = fanout.fetchAll(List.of(fast, hung), query(Duration.ofSeconds(1)), "home");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.deadlineHit()).isTrue();
        assertThat(result.outcomes()).extracting(SourceOutcome::status).containsExactly(SourceStatus.OK, SourceStatus.TIMEOUT);
        assertThat(((SourceOutcome.Fetched) result.outcomes().getFirst()).batch().candidates()).hasSize(2);
        assertThat(hangStarted.await(0, TimeUnit.SECONDS)).isTrue();
        // The hung source's thread was interrupted and finished before fetchAll returned: nothing keeps running.
        assertThat(hangInterrupted.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(990)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void returnsAsSoonAsEverySourceAnswered() {
        FanoutResult result = fanout.fetchAll(List.of(source("a", q -> batch("i1")), source("b", q -> batch("i2"))),
                                              query(Duration.ofSeconds(30)), "home");
        assertThat(result.deadlineHit()).isFalse();
        assertThat(result.outcomes()).extracting(SourceOutcome::status).containsOnly(SourceStatus.OK);
    }

    @Test
    void aFailureCostsOnlyItsSourceAndKeepsItsStatus() {
        FanoutResult result = fanout.fetchAll(List.of(
                source("throttled", q -> {
                    throw new SourceException(SourceStatus.RATE_LIMITED, "429");
                }),
                source("buggy", q -> {
                    throw new IllegalStateException("a bug");
                }),
                source("fine", q -> batch("i9"))), query(Duration.ofSeconds(5)), "home");

        assertThat(result.outcomes()).extracting(SourceOutcome::status)
                .containsExactly(SourceStatus.RATE_LIMITED, SourceStatus.ERROR, SourceStatus.OK);
    }

    @Test
    void sourcesRunInParallelNotOneAfterAnother() {
        // Each source waits until all three have started: sequential calls would never get there.
        CountDownLatch allStarted = new CountDownLatch(3);
        Function<CandidateQuery, CandidateBatch> meetTheOthers = q -> {
            allStarted.countDown();
            try {
                if (!allStarted.await(5, TimeUnit.SECONDS)) {
                    throw new SourceException(SourceStatus.TIMEOUT, "the others never started");
                }
            } catch (InterruptedException e) {
                throw new SourceException(SourceStatus.TIMEOUT, "interrupted");
            }
            return batch("i1");
        };
        FanoutResult result = fanout.fetchAll(List.of(source("a", meetTheOthers), source("b", meetTheOthers),
                                                      source("c", meetTheOthers)), query(Duration.ofSeconds(10)), "home");
        assertThat(result.outcomes()).extracting(SourceOutcome::status).containsOnly(SourceStatus.OK);
    }

    @Test
    void subtasksSeeTheRequestContext() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        RequestContext context = new RequestContext("req-42", TraceParent.startTrace(), "u:test");
        RequestContext.bind(context).call(() -> fanout.fetchAll(List.of(source("a", q -> {
            seen.set(RequestContext.currentRequestId());
            return batch("i1");
        })), query(Duration.ofSeconds(5)), "home"));
        assertThat(seen).hasValue("req-42");
    }

    @Test
    void anExpiredDeadlineCallsNothing() {
        CountDownLatch called = new CountDownLatch(1);
        FanoutResult result = fanout.fetchAll(List.of(source("a", q -> {
            called.countDown();
            return batch("i1");
        })), new CandidateQuery(REQUEST, 10, Deadline.after(Duration.ZERO)), "home");
        assertThat(result.outcomes()).extracting(SourceOutcome::status).containsExactly(SourceStatus.TIMEOUT);
        assertThat(called.getCount()).isEqualTo(1);
    }

    /** A source that hedges after {@code after}; its n-th call (1-based) answers with {@code answer.apply(n)}. */
    record HedgingSource(SourceId id, Duration after, Function<Integer, CandidateBatch> answer, AtomicInteger calls)
            implements CandidateSource {
        @Override
        public CandidateBatch fetch(CandidateQuery query) {
            return answer.apply(calls.incrementAndGet());
        }

        @Override
        public Optional<Duration> hedgeAfter() {
            return Optional.of(after);
        }
    }

    @Test
    void aSlowCallIsHedgedAndTheFirstAnswerWinsWhileTheLoserIsCancelled() throws InterruptedException {
        CountDownLatch loserInterrupted = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HedgingSource source = new HedgingSource(SourceId.of("hedged"), Duration.ofMillis(20), call -> {
            if (call == 1) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    loserInterrupted.countDown();
                }
                throw new SourceException(SourceStatus.TIMEOUT, "cancelled");
            }
            return batch("from-the-hedge");
        }, calls);

        long started = System.nanoTime();
        FanoutResult result = fanout.fetchAll(List.of(source), query(Duration.ofSeconds(5)), "home");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.outcomes()).extracting(SourceOutcome::status).containsExactly(SourceStatus.OK);
        assertThat(((SourceOutcome.Fetched) result.outcomes().getFirst()).batch().candidates())
                .extracting(Candidate::itemId).containsExactly("from-the-hedge");
        assertThat(calls).hasValue(2);
        assertThat(loserInterrupted.await(0, TimeUnit.SECONDS)).as("the slow first call was cancelled").isTrue();
    }

    @Test
    void aFastAnswerOrAFastFailureIsNotHedged() {
        AtomicInteger answered = new AtomicInteger();
        HedgingSource fast = new HedgingSource(SourceId.of("fast"), Duration.ofMillis(200), call -> batch("i1"), answered);
        AtomicInteger failed = new AtomicInteger();
        HedgingSource failing = new HedgingSource(SourceId.of("failing"), Duration.ofMillis(200), call -> {
            throw new SourceException(SourceStatus.ERROR, "HTTP 400");
        }, failed);

        FanoutResult result = fanout.fetchAll(List.of(fast, failing), query(Duration.ofSeconds(5)), "home");

        assertThat(result.outcomes()).extracting(SourceOutcome::status).containsExactly(SourceStatus.OK, SourceStatus.ERROR);
        assertThat(answered).hasValue(1);
        assertThat(failed).as("failures are the retry's business, not the hedge's").hasValue(1);
    }

    private static CandidateSource source(String name, Function<CandidateQuery, CandidateBatch> answer) {
        return new FakeSource(SourceId.of(name), answer);
    }

    private static CandidateQuery query(Duration budget) {
        return new CandidateQuery(REQUEST, 10, Deadline.after(budget));
    }

    private static CandidateBatch batch(String... ids) {
        return new CandidateBatch(java.util.Arrays.stream(ids).map(id -> new Candidate(id, 1.0, null)).toList(), null);
    }
}
