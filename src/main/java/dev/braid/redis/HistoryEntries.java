package dev.braid.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.braid.events.Event;
import dev.braid.observe.ThrottledLog;

/**
 * The format of a user's history list {@code history:{USER}}, newest first, one JSON event per entry such as
 * {@code {"item_id":"i9","type":"click","value":1,"ts":"..."}}: written by the event sink, read by the history and
 * signals readers. Only {@code item_id} is read back; the rest is there for whoever inspects or replays the list.
 */
final class HistoryEntries {
    /**
     * Entries kept per user. Readers want a few dozen distinct items at most (a handful of anchors for the content
     * source, a cold-start decision); reading {@link #OVERREAD} entries per item, 200 covers 60 and more, while a very
     * active user's list stays a few tens of kilobytes instead of growing with every click.
     */
    static final long SIZE = 200;
    /** A user idle this long starts with an empty history, like the affinities drawn from the same events. */
    static final Duration TTL = Duration.ofDays(90);
    /** Entries read per wanted item: repeated views of one item are common, and duplicates collapse. */
    static final int OVERREAD = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryEntries() {
    }

    static String key(String user) {
        return "history:{" + user + "}";
    }

    /** How many entries to read for {@code items} distinct items: at most the whole list. */
    static long entriesFor(int items) {
        return Math.min(SIZE, (long) items * OVERREAD);
    }

    /** One entry; {@code value} is left out when the event has none. */
    static String encode(Event event) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("item_id", event.itemId());
        entry.put("type", event.type().wireName());
        if (event.value() != null) {
            entry.put("value", event.value());
        }
        entry.put("ts", event.ts().toString());
        return entry.toString();
    }

    /**
     * Up to {@code n} distinct item ids of {@code entries} (newest first), in their order. An entry that is not a JSON
     * event with an item id is skipped and logged (throttled) on {@code failures}.
     */
    static List<String> distinctItems(List<String> entries, int n, ThrottledLog failures) {
        Set<String> items = new LinkedHashSet<>();
        for (String entry : entries) {
            if (items.size() == n) {
                break;
            }
            String item = itemId(entry, failures);
            if (item != null) {
                items.add(item);
            }
        }
        return List.copyOf(items);
    }

    private static String itemId(String entry, ThrottledLog failures) {
        try {
            JsonNode item = JSON.readTree(entry).path("item_id");
            return item.isTextual() && !item.asText().isBlank() ? item.asText() : null;
        } catch (JsonProcessingException e) {
            failures.warn("skipping a history entry that is not a JSON event: " + e.getOriginalMessage(), null);
            return null;
        }
    }
}
