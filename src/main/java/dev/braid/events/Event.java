package dev.braid.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One valid event.
 *
 * @param user             the signed-in user
 * @param itemId           the catalog item
 * @param type             what the user did
 * @param ts               when, as the client saw it
 * @param value            the event's number (a rating's 0..5); {@code null} when the event has none
 * @param recommendationId the recommendation the item was shown in; {@code null} when not given
 */
public record Event(String user, String itemId, EventType type, Instant ts, Double value, String recommendationId) {
    public Event {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ts, "ts");
    }
}
