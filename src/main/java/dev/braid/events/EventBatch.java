package dev.braid.events;

import java.util.List;

/** The events of one request, all valid: a batch is applied whole or not at all. */
public record EventBatch(List<Event> events) {
    /** At most this many events per request. */
    public static final int MAX_EVENTS = 500;

    public EventBatch {
        events = List.copyOf(events);
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("a batch holds 1.." + MAX_EVENTS + " events (was " + events.size() + ")");
        }
    }

    public int size() {
        return events.size();
    }
}
