package dev.braid.recommend.fanout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

import dev.braid.recommend.SourceId;

/**
 * Keeps each subtask's outcome the moment it completes. {@code onComplete} runs on the subtask's own thread, where
 * {@code Subtask.get()} is allowed, so when the scope times out (and {@code join()} throws, and {@code get()} would too)
 * the outcomes that arrived are still here.
 */
final class OutcomeJoiner implements Joiner<SourceOutcome, Void> {
    private final Map<SourceId, SourceOutcome> arrived = new ConcurrentHashMap<>();

    @Override
    public boolean onComplete(Subtask<? extends SourceOutcome> subtask) {
        if (subtask.state() == Subtask.State.SUCCESS) {
            SourceOutcome outcome = subtask.get();
            arrived.put(outcome.source(), outcome);
        }
        return false;
    }

    @Override
    public Void result() {
        return null;
    }

    Map<SourceId, SourceOutcome> arrived() {
        return arrived;
    }
}
