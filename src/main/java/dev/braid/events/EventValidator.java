package dev.braid.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the {@code events} of a request body, as plain JSON values ({@link Map}s, {@link List}s, strings, numbers,
 * booleans, {@code null}), into a batch, or reports every field of every event that breaks a rule. Fields it does not
 * know are ignored, so that clients may send more than this version reads.
 */
public final class EventValidator {
    /** The rule of {@code GET /v1/recommendations}' {@code user} ({@code RecommendationsService.USER}). */
    public static final Pattern USER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    /** The rule of the item ids of {@code GET /v1/recommendations} ({@code RecommendationsService.ITEM_ID}). */
    public static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Clients' clocks drift; an event further ahead than this is a broken clock or a forged time. */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    /** Older events are a replay of some backlog: they would distort trends that decay within days anyway. */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    /** A sealed id of an answer in an experiment with a fingerprint per item shown: a few hundred characters. */
    public static final int MAX_RECOMMENDATION_ID = 1024;
    public static final double MIN_RATING = 0;
    public static final double MAX_RATING = 5;

    private final Clock clock;

    public EventValidator(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param events 1..{@value EventBatch#MAX_EVENTS} JSON values, each expected to be an event object
     * @throws InvalidEventsException listing every rejected field, when any event is unacceptable
     */
    public EventBatch validate(List<?> events) {
        Instant now = clock.instant();
        List<Event> valid = new ArrayList<>(events.size());
        List<EventRejection> rejections = new ArrayList<>();
        for (int index = 0; index < events.size(); index++) {
            Event event = event(index, events.get(index), now, rejections);
            if (event != null) {
                valid.add(event);
            }
        }
        if (!rejections.isEmpty()) {
            throw new InvalidEventsException(rejections);
        }
        return new EventBatch(valid);
    }

    /** The event at {@code index}, or {@code null} after adding its rejections. */
    private static Event event(int index, Object raw, Instant now, List<EventRejection> rejections) {
        if (!(raw instanceof Map<?, ?> fields)) {
            rejections.add(new EventRejection(index, "event", "must be a JSON object (was " + kind(raw) + ")"));
            return null;
        }
        Fields read = new Fields(index, fields, rejections);
        String user = read.text("user", USER, "must be 1..128 characters of letters, digits and . _ : @ -");
        String itemId = read.text("item_id", ITEM_ID, "must be 1..128 characters of letters, digits and . _ : -");
        EventType type = read.type();
        Instant ts = read.ts(now);
        Double value = read.value(type);
        String recommendationId = read.recommendationId();
        if (read.rejected()) {
            return null;
        }
        return new Event(user, itemId, type, ts, value, recommendationId);
    }

    /** The fields of one event, read with their rules; each broken rule is one rejection. */
    private static final class Fields {
        private final int index;
        private final Map<?, ?> fields;
        private final List<EventRejection> rejections;
        private final int before;

        Fields(int index, Map<?, ?> fields, List<EventRejection> rejections) {
            this.index = index;
            this.fields = fields;
            this.rejections = rejections;
            this.before = rejections.size();
        }

        boolean rejected() {
            return rejections.size() > before;
        }

        /** The string under {@code name}; {@code null} (after a rejection if required) when absent or not a string. */
        String string(String name, boolean required) {
            Object raw = fields.get(name);
            if (raw == null) {
                if (required) {
                    reject(name, "is required");
                }
                return null;
            }
            if (!(raw instanceof String text)) {
                reject(name, "must be a string (was " + kind(raw) + ")");
                return null;
            }
            return text;
        }

        /** A required string matching {@code pattern}. */
        String text(String name, Pattern pattern, String rule) {
            String text = string(name, true);
            if (text != null && !pattern.matcher(text).matches()) {
                reject(name, rule + " (was '" + abbreviate(text) + "')");
                return null;
            }
            return text;
        }

        EventType type() {
            String name = string("type", true);
            if (name == null) {
                return null;
            }
            EventType type = EventType.parse(name).orElse(null);
            if (type == null) {
                reject("type", "must be one of " + String.join(", ", EventType.wireNames()) + " (was '"
                               + abbreviate(name) + "')");
            }
            return type;
        }

        Instant ts(Instant now) {
            String text = string("ts", true);
            if (text == null) {
                return null;
            }
            Instant ts = instant(text);
            if (ts == null) {
                reject("ts", "must be an ISO-8601 instant such as 2026-11-24T10:00:00Z (was '" + abbreviate(text) + "')");
                return null;
            }
            if (ts.isAfter(now.plus(MAX_FUTURE))) {
                reject("ts", "must not be more than " + MAX_FUTURE.toMinutes() + " minutes in the future (was " + ts
                             + ", now " + now + ")");
                return null;
            }
            if (ts.isBefore(now.minus(MAX_AGE))) {
                reject("ts", "must not be more than " + MAX_AGE.toDays() + " days old (was " + ts + ", now " + now + ")");
                return null;
            }
            return ts;
        }

        Double value(EventType type) {
            Object raw = fields.get("value");
            if (raw == null) {
                if (type == EventType.RATING) {
                    reject("value", "is required for rating events (a number between 0 and 5)");
                }
                return null;
            }
            if (!(raw instanceof Number number)) {
                reject("value", "must be a number (was " + kind(raw) + ")");
                return null;
            }
            double value = number.doubleValue();
            if (!Double.isFinite(value)) {
                reject("value", "must be a finite number (was " + number + ")");
                return null;
            }
            if (type == EventType.RATING && (value < MIN_RATING || value > MAX_RATING)) {
                reject("value", "must be between 0 and 5 for rating events (was " + number + ")");
                return null;
            }
            return value;
        }

        String recommendationId() {
            String text = string("recommendation_id", false);
            if (text == null) {
                return null;
            }
            if (text.isEmpty() || text.length() > MAX_RECOMMENDATION_ID) {
                reject("recommendation_id", "must be 1.." + MAX_RECOMMENDATION_ID + " characters (was " + text.length()
                                            + ")");
                return null;
            }
            return text;
        }

        private void reject(String field, String reason) {
            rejections.add(new EventRejection(index, field, reason));
        }
    }

    /** An instant in UTC ({@code Z}) or with an offset ({@code +01:00}); {@code null} when it is neither. */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The JSON kind of a value, for messages: never the value itself, which may be large. */
    private static String kind(Object raw) {
        return switch (raw) {
            case null -> "null";
            case String ignored -> "a string";
            case Number ignored -> "a number";
            case Boolean ignored -> "a boolean";
            case Map<?, ?> ignored -> "an object";
            case List<?> ignored -> "an array";
            default -> raw.getClass().getSimpleName();
        };
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
