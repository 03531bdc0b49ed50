package dev.braid.events;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.logging.Logger;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.CatalogUnavailableException;
import dev.braid.experiments.Attribution;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;
import dev.braid.resilience.Deadline;

/**
 * Accepts a batch of events: validates all of it, looks up the categories and brands of its items in the catalog (one
 * lookup; without an answer in time the batch goes on without affinities), and hands the summed effects to the sink,
 * which applies them in one atomic step. Either the batch is applied exactly once, or the caller learns that it was not
 * (invalid, or the store unavailable), or, when the store's reply was lost, that the outcome is unknown.
 *
 * <p>With an idempotency key the key is claimed first (the store answers with the first request's answer, "in
 * flight" or "another body" instead when the key was used before), and the batch's effects commit together with the
 * key's record. Without a key the batch still commits with a short-lived record of its own, so that after a lost reply
 * the store can say whether it was applied.
 */
public final class EventIngestion {
    private static final Logger LOG = Logger.getLogger(EventIngestion.class.getName());

    private final EventValidator validator;
    private final EventSink sink;
    private final Catalog catalog;
    private final Duration catalogBudget;
    private final BraidMeters meters;
    private final Attribution attribution;
    private final Duration lockTtl;
    private final ThrottledLog catalogFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog sinkFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog attributionFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);

    /** Without experiments: conversions are not attributed. */
    public EventIngestion(EventSink sink, Catalog catalog, Duration catalogBudget, Clock clock, BraidMeters meters) {
        this(sink, catalog, catalogBudget, clock, meters, Attribution.none(), EventsConfig.DEFAULT.idempotency().lockTtl());
    }

    /**
     * @param catalogBudget how long the catalog lookup of a batch's items may take
     * @param clock         the time events are judged against (too far in the future, too old)
     * @param attribution   told of every conversion in an accepted batch that names its recommendation
     * @param lockTtl       how long a claimed key is held: its batch must not be applied later than that
     */
    public EventIngestion(EventSink sink, Catalog catalog, Duration catalogBudget, Clock clock, BraidMeters meters,
                          Attribution attribution, Duration lockTtl) {
        this.validator = new EventValidator(clock);
        this.sink = sink;
        this.catalog = catalog;
        this.catalogBudget = catalogBudget;
        this.meters = meters;
        this.attribution = attribution;
        this.lockTtl = lockTtl;
        meters.registerEvents(EventType.wireNames());
    }

    /** What became of a request's batch. */
    public sealed interface Outcome {
        /** Validated and applied now, exactly once; {@code answer} is what the client gets (and what a key keeps). */
        record Applied(StoredAnswer answer) implements Outcome {
        }

        /** An earlier request with the same key and body was applied: its answer again, nothing applied now. */
        record Replayed(StoredAnswer answer) implements Outcome {
        }

        /** A request with the same key and body is being applied right now: nothing applied by this one. */
        record InFlight() implements Outcome {
        }

        /** The key was used with another body: nothing applied. */
        record KeyReused() implements Outcome {
        }
    }

    /**
     * Validates and applies the events of one request sent without an idempotency key.
     *
     * @param events 1..{@value EventBatch#MAX_EVENTS} JSON values (see {@link EventValidator})
     * @return how many events were applied: all of them
     * @throws InvalidEventsException     when any event is unacceptable; nothing was applied
     * @throws EventsUnavailableException when the store could not take the batch; nothing was applied unless
     *                                    {@link EventsUnavailableException#maybeApplied()}
     */
    public int accept(List<?> events) {
        EventBatch batch = validate(events);
        apply(batch, Commit.anonymous(UUID.randomUUID().toString()));
        return batch.size();
    }

    /**
     * Validates and applies the events of one request sent with an idempotency key: at most once per key, whatever
     * the number of requests, replicas or failures in between.
     *
     * @param fingerprint the fingerprint of the request's canonical body ({@link Fingerprint})
     * @param answer      the answer for a batch of so many events: kept with the key, replayed to later requests
     * @throws InvalidEventsException     when any event is unacceptable; nothing was applied, the key not taken
     * @throws EventsUnavailableException when the store could not take the batch; a retry with the key is safe
     */
    public Outcome accept(List<?> events, IdempotencyKey key, String fingerprint, IntFunction<StoredAnswer> answer) {
        EventBatch batch = validate(events);
        Claim claim;
        try {
            claim = sink.claim(key, fingerprint);
        } catch (EventsUnavailableException e) {
            return unavailable(e);
        }
        return switch (claim) {
            case Claim.Replay replay -> {
                meters.eventBatch("replayed");
                yield new Outcome.Replayed(replay.answer());
            }
            case Claim.InFlight ignored -> {
                meters.eventBatch("in_flight");
                yield new Outcome.InFlight();
            }
            case Claim.Mismatch ignored -> {
                meters.eventBatch("key_reused");
                yield new Outcome.KeyReused();
            }
            case Claim.Claimed claimed -> {
                StoredAnswer stored = answer.apply(batch.size());
                long deadline = claimed.storeMicros() + lockTtl.toNanos() / 1_000;
                boolean applied = false;
                try {
                    applied = apply(batch, new Commit(key, claimed.token(), stored, deadline));
                } finally {
                    if (!applied) {
                        // Not applied (refused, failed, or the key was taken over): the retry need not wait for the lock.
                        sink.release(key, claimed.token());
                    }
                }
                if (!applied) {
                    meters.eventBatch("in_flight");
                    yield new Outcome.InFlight();
                }
                yield new Outcome.Applied(stored);
            }
        };
    }

    private EventBatch validate(List<?> events) {
        try {
            return validator.validate(events);
        } catch (InvalidEventsException e) {
            meters.eventBatch("invalid");
            throw e;
        }
    }

    /**
     * Applies the batch with its commit; counts, attributes. Returns whether this call applied it ({@code false}: the
     * key was no longer this request's).
     */
    private boolean apply(EventBatch batch, Commit commit) {
        boolean applied;
        try {
            applied = sink.apply(EventEffects.of(batch, items(batch)), commit);
        } catch (EventsUnavailableException e) {
            unavailable(e);
            throw e;
        }
        if (!applied) {
            return false;
        }
        meters.eventBatch("accepted");
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        batch.events().forEach(event -> counts.merge(event.type(), 1, Integer::sum));
        counts.forEach((type, count) -> meters.events(type.wireName(), count));
        attribute(batch);
        return true;
    }

    private <T> T unavailable(EventsUnavailableException e) {
        meters.eventBatch(e.maybeApplied() ? "unknown" : "unavailable");
        sinkFailures.warn("events not stored (" + (e.maybeApplied() ? "outcome unknown" : "not applied")
                          + "): " + e.getMessage(), null);
        throw e;
    }

    /** Hands the conversions of an applied batch to the experiments, once each; a failure there is only logged. */
    private void attribute(EventBatch batch) {
        for (Event event : batch.events()) {
            if (event.recommendationId() == null || !event.type().conversion()) {
                continue;
            }
            try {
                attribution.converted(event.recommendationId(), event.type().wireName(), event.itemId(), event.user());
            } catch (RuntimeException e) {
                attributionFailures.warn("conversion not attributed: " + e, e);
            }
        }
    }

    /** The catalog entries the affinities need; none when the catalog cannot answer in time (counted, logged). */
    private Map<String, CatalogItem> items(EventBatch batch) {
        Set<String> ids = EventEffects.affinityItems(batch);
        if (ids.isEmpty()) {
            return Map.of();
        }
        try {
            return catalog.items(ids, Deadline.after(catalogBudget));
        } catch (CatalogUnavailableException e) {
            meters.eventAffinitiesSkipped();
            catalogFailures.warn("catalog unavailable, events applied without affinities: " + e.getMessage(), null);
            return Map.of();
        }
    }
}
