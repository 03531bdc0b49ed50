package dev.braid.recommend.fanout;

import java.time.Duration;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.braid.observe.Spans;
import dev.braid.observe.TraceSpan;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceStatus;

/**
 * A hedged request (Dean & Barroso, The Tail at Scale): if the source has not answered after {@code hedgeAfter}, the
 * same request goes out a second time and the first answer wins; the loser is cancelled. A first request that fails
 * before the hedge went out is not hedged: failures are the retry's business, slowness is the hedge's.
 */
final class HedgedCall {
    private HedgedCall() {
    }

    static CandidateBatch fetch(CandidateSource source, CandidateQuery query, Duration hedgeAfter, Runnable onHedge) {
        FirstAnswer first = new FirstAnswer();
        try (var scope = StructuredTaskScope.open(first, cfg -> cfg.withName("hedge-" + source.id()))) {
            scope.fork(() -> source.fetch(query));
            scope.fork(() -> {
                Thread.sleep(hedgeAfter);
                first.hedged.set(true);
                onHedge.run();
                // The hedge's attempts hang under a span of their own, beside the first request's.
                TraceSpan hedge = Spans.internal("hedge ", source.id().name()).set("braid.source", source.id().name());
                try {
                    return hedge.run(() -> source.fetch(query));
                } catch (RuntimeException e) {
                    hedge.failed(e);
                    throw e;
                } finally {
                    hedge.end();
                }
            });
            scope.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(SourceStatus.TIMEOUT, source.id() + ": cancelled at the deadline", e);
        }
        if (first.answer.get() != null) {
            return first.answer.get();
        }
        Throwable failure = first.failure.get();
        if (failure instanceof SourceException e) {
            throw e;
        }
        throw new SourceException(SourceStatus.ERROR, source.id() + ": " + failure, failure);
    }

    /** Completes the scope with the first answer, or with the first failure once nothing else can answer. */
    private static final class FirstAnswer implements Joiner<CandidateBatch, Void> {
        private final AtomicReference<CandidateBatch> answer = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicBoolean hedged = new AtomicBoolean();
        private final AtomicInteger failed = new AtomicInteger();

        @Override
        public boolean onComplete(Subtask<? extends CandidateBatch> subtask) {
            if (subtask.state() == Subtask.State.SUCCESS) {
                answer.compareAndSet(null, subtask.get());
                return true;
            }
            failure.compareAndSet(null, subtask.exception());
            // Both failed, or the first failed before any hedge went out: nothing else is coming.
            return failed.incrementAndGet() == 2 || !hedged.get();
        }

        @Override
        public Void result() {
            return null;
        }
    }
}
