package dev.braid.events;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * lookup; without an answer in time the batch goes on without affinities), and hands the summed effects to the sink in
 * one round trip. Either the batch is applied, or the caller learns that it was not (invalid, or the store unavailable).
 */
public final class EventIngestion {
    private static final Logger LOG = Logger.getLogger(EventIngestion.class.getName());

    private final EventValidator validator;
    private final EventSink sink;
    private final Catalog catalog;
    private final Duration catalogBudget;
    private final BraidMeters meters;
    private final Attribution attribution;
    private final ThrottledLog catalogFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog sinkFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog attributionFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog pastHorizon = new ThrottledLog(LOG, Duration.ofMinutes(10), System::nanoTime);

    /** Without experiments: conversions are not attributed. */
    public EventIngestion(EventSink sink, Catalog catalog, Duration catalogBudget, Clock clock, BraidMeters meters) {
        this(sink, catalog, catalogBudget, clock, meters, Attribution.none());
    }

    /**
     * @param catalogBudget how long the catalog lookup of a batch's items may take
     * @param clock         the time events are judged against (too far in the future, too old)
     * @param attribution   told of every conversion in an accepted batch that names its recommendation
     */
    public EventIngestion(EventSink sink, Catalog catalog, Duration catalogBudget, Clock clock, BraidMeters meters,
                          Attribution attribution) {
        this.validator = new EventValidator(clock);
        this.sink = sink;
        this.catalog = catalog;
        this.catalogBudget = catalogBudget;
        this.meters = meters;
        this.attribution = attribution;
        meters.registerEvents(EventType.wireNames());
    }

    /**
     * Validates and applies the events of one request.
     *
     * @param events 1..{@value EventBatch#MAX_EVENTS} JSON values (see {@link EventValidator})
     * @return how many events were applied: all of them
     * @throws InvalidEventsException     when any event is unacceptable; nothing was applied
     * @throws EventsUnavailableException when the store could not take the batch; nothing was applied
     */
    public int accept(List<?> events) {
        EventBatch batch;
        try {
            batch = validator.validate(events);
        } catch (InvalidEventsException e) {
            meters.eventBatch("invalid");
            throw e;
        }
        if (batch.events().stream().anyMatch(event -> event.ts().isAfter(TrendingDecay.HORIZON))) {
            pastHorizon.warn("events after " + TrendingDecay.HORIZON + " no longer fit the trending scale and do not "
                             + "count for trending: rebase TrendingDecay.EPOCH", null);
        }
        try {
            sink.apply(EventEffects.of(batch, items(batch)));
        } catch (EventsUnavailableException e) {
            meters.eventBatch("unavailable");
            sinkFailures.warn("events not stored, the client is asked to retry: " + e.getMessage(), null);
            throw e;
        }
        meters.eventBatch("accepted");
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        batch.events().forEach(event -> counts.merge(event.type(), 1, Integer::sum));
        counts.forEach((type, count) -> meters.events(type.wireName(), count));
        attribute(batch);
        return batch.size();
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
