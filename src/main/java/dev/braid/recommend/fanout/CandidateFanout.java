package dev.braid.recommend.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.StructuredTaskScope;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.FanOutEvent;
import dev.braid.observe.RequestContext;
import dev.braid.observe.Spans;
import dev.braid.observe.TraceSpan;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceStatus;

/**
 * Calls candidate sources in parallel, one virtual thread each, and stops at the deadline: what arrived is kept, what did
 * not is cancelled (its thread interrupted, its HTTP call abandoned) and reported as a timeout. The only user of
 * {@link StructuredTaskScope} (a preview API in JDK 25), so the day it is final only this class changes.
 */
public final class CandidateFanout {
    private static final Logger LOG = Logger.getLogger(CandidateFanout.class.getName());

    private final BraidMeters meters;

    public CandidateFanout(BraidMeters meters) {
        this.meters = meters;
    }

    public FanoutResult fetchAll(List<CandidateSource> sources, CandidateQuery query, String surface) {
        // The sources' spans hang under the fan-out's: its scope is opened (and its subtasks forked) inside it.
        TraceSpan span = Spans.internal("fanout").set("braid.surface", surface).set("braid.sources", sources.size());
        if (!span.recording()) {
            return fanOut(sources, query, surface);
        }
        try {
            FanoutResult result = span.run(() -> fanOut(sources, query, surface));
            span.set("braid.deadline_hit", result.deadlineHit());
            return result;
        } finally {
            span.end();
        }
    }

    private FanoutResult fanOut(List<CandidateSource> sources, CandidateQuery query, String surface) {
        FanOutEvent event = new FanOutEvent();
        event.begin();
        long started = System.nanoTime();
        Duration budget = query.deadline().remaining();

        OutcomeJoiner joiner = new OutcomeJoiner();
        boolean deadlineHit = false;
        if (budget.isPositive()) {
            try (var scope = StructuredTaskScope.open(joiner, cfg -> cfg.withTimeout(budget).withName("fanout"))) {
                for (CandidateSource source : sources) {
                    scope.fork(() -> call(source, query));
                }
                scope.join();
            } catch (StructuredTaskScope.TimeoutException e) {
                deadlineHit = true;
            } catch (InterruptedException e) {
                // The request itself is being torn down (server stopping): report what arrived.
                Thread.currentThread().interrupt();
                deadlineHit = true;
            }
        } else {
            deadlineHit = true;
        }

        List<SourceOutcome> outcomes = new ArrayList<>(sources.size());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        for (CandidateSource source : sources) {
            SourceOutcome outcome = joiner.arrived().get(source.id());
            if (outcome == null) {
                // Cancelled at the deadline (or never started): the answer did not arrive in time.
                outcome = new SourceOutcome.Failed(source.id(), SourceStatus.TIMEOUT, elapsed, "cancelled at the deadline");
                meters.sourceCall(source.id().name(), SourceStatus.TIMEOUT.wireName(), elapsed);
            }
            outcomes.add(outcome);
        }
        commit(event, query, surface, budget, outcomes, deadlineHit);
        return new FanoutResult(outcomes, deadlineHit);
    }

    private SourceOutcome call(CandidateSource source, CandidateQuery query) {
        // The source's span: its attempts (and a hedge's) are its children.
        TraceSpan span = Spans.internal("source ", source.id().name()).set("braid.source", source.id().name());
        try {
            SourceOutcome outcome = span.recording() ? span.run(() -> attempt(source, query)) : attempt(source, query);
            span.set("braid.outcome", outcome.status().wireName()).set("braid.candidates", count(outcome));
            if (outcome instanceof SourceOutcome.Failed) {
                span.failed(outcome.status().wireName());
            }
            return outcome;
        } finally {
            span.end();
        }
    }

    private static long count(SourceOutcome outcome) {
        return outcome instanceof SourceOutcome.Fetched fetched ? fetched.batch().candidates().size() : 0;
    }

    private SourceOutcome attempt(CandidateSource source, CandidateQuery query) {
        long started = System.nanoTime();
        SourceOutcome outcome;
        try {
            CandidateBatch batch = source.hedgeAfter()
                    .map(after -> HedgedCall.fetch(source, query, after, () -> meters.hedge(source.id().name())))
                    .orElseGet(() -> source.fetch(query));
            outcome = new SourceOutcome.Fetched(source.id(), batch, since(started));
        } catch (SourceException e) {
            outcome = new SourceOutcome.Failed(source.id(), e.status(), since(started), e.getMessage());
            LOG.log(Level.FINE, () -> source.id() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug in a source must cost that source, not the request.
            outcome = new SourceOutcome.Failed(source.id(), SourceStatus.ERROR, since(started), e.toString());
            if (!Thread.currentThread().isInterrupted()) {
                LOG.log(Level.WARNING, source.id() + " threw unexpectedly", e);
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            // Cancelled at the deadline: the joiner no longer records it, fetchAll reports and counts it as a timeout.
            return outcome;
        }
        meters.sourceCall(source.id().name(), outcome.status().wireName(), outcome.took());
        return outcome;
    }

    private static void commit(FanOutEvent event, CandidateQuery query, String surface, Duration budget,
                               List<SourceOutcome> outcomes, boolean deadlineHit) {
        if (!event.shouldCommit()) {
            return;
        }
        StringJoiner names = new StringJoiner(",");
        StringJoiner statuses = new StringJoiner(",");
        for (SourceOutcome outcome : outcomes) {
            names.add(outcome.source().name());
            statuses.add(outcome.source().name() + "=" + outcome.status().wireName());
        }
        event.requestId = RequestContext.currentRequestId();
        event.surface = surface;
        event.budgetMillis = budget.toMillis();
        event.sources = names.toString();
        event.outcomes = statuses.toString();
        event.deadlineHit = deadlineHit;
        event.commit();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
