package dev.braid.recommend;

/**
 * A downstream that proposes candidates: it turns the vendor's answer into {@link Candidate}s and the vendor's errors
 * into {@link SourceException}s. Implementations block (they run on virtual threads) and must give up promptly when
 * their thread is interrupted, because the fan-out interrupts whatever is still running at the deadline.
 */
public interface CandidateSource extends AutoCloseable {

    SourceId id();

    /**
     * @throws SourceException when the source cannot answer (timeout, error, throttled, ...)
     */
    CandidateBatch fetch(CandidateQuery query);

    /**
     * When to send a second, hedged request if the first has not answered yet; empty: never. Only sources whose calls are
     * idempotent reads may hedge.
     */
    default java.util.Optional<java.time.Duration> hedgeAfter() {
        return java.util.Optional.empty();
    }

    /** Releases connections and threads; called once, at shutdown. */
    @Override
    default void close() {
    }
}
