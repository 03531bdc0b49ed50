package dev.braid.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Request bodies of {@code POST /v1/events}, as clients write them, for tests. */
public final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {
    }

    public static String event(String user, String item, String type, Instant ts) {
        return write(fields(user, item, type, ts));
    }

    public static String rating(String user, String item, double value, Instant ts) {
        Map<String, Object> fields = fields(user, item, "rating", ts);
        fields.put("value", value);
        return write(fields);
    }

    public static String batch(String... events) {
        return "{\"events\": [" + String.join(", ", events) + "]}";
    }

    private static Map<String, Object> fields(String user, String item, String type, Instant ts) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user", user);
        fields.put("item_id", item);
        fields.put("type", type);
        fields.put("ts", ts.toString());
        return fields;
    }

    private static String write(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
