package dev.braid.events;

/** Where the effects of a batch go (Redis). */
public interface EventSink {

    /**
     * Applies the effects in one round trip to the store.
     *
     * @throws EventsUnavailableException when the store cannot take them; then none of them was applied, as far as the
     *                                    store allows (see the implementation)
     */
    void apply(EventEffects effects);

    /** No store at all: every batch is refused, so that clients keep their events and retry later. */
    static EventSink unavailable() {
        return effects -> {
            throw new EventsUnavailableException("no event store is configured or reachable", null);
        };
    }
}
