package dev.braid.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Every rule of an event, at its edges, against a fixed clock. */
class EventValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final EventValidator VALIDATOR = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidEventKeepsEveryField() {
        Map<String, Object> rating = event("rating");
        rating.put("value", 4.5);
        rating.put("recommendation_id", "rec-1");
        rating.put("unknown_field", List.of("ignored"));

        EventBatch batch = VALIDATOR.validate(List.of(rating, event("click")));

        assertThat(batch.events()).containsExactly(
                new Event("u1", "i9", EventType.RATING, NOW.minusSeconds(60), 4.5, "rec-1"),
                new Event("u1", "i9", EventType.CLICK, NOW.minusSeconds(60), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2026-11-24T10:05:00Z|true",
            "2026-11-24T10:05:00.001Z|false",
            "2026-10-25T10:00:00Z|true",
            "2026-10-25T09:59:59.999Z|false",
            "2026-11-24T11:00:00+01:00|true",
            "2026-11-24T10:00:00|false",
            "2026-11-24|false",
            "1732442400|false"})
    void timestampsAreInstantsAtMostFiveMinutesAheadAndThirtyDaysBack(String ts, boolean valid) {
        Map<String, Object> event = event("click");
        event.put("ts", ts);
        if (valid) {
            assertThat(VALIDATOR.validate(List.of(event)).events()).hasSize(1);
        } else {
            assertThat(rejections(event)).singleElement().extracting(EventRejection::field).isEqualTo("ts");
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "user|a b|must be 1..128 characters of letters, digits and . _ : @ -",
            "user||must be 1..128 characters",
            "item_id|i@9|must be 1..128 characters of letters, digits and . _ : -",
            "type|view|must be one of impression, click, add_to_cart, purchase, rating (was 'view')",
            "type|CLICK|must be one of",
            "ts|yesterday|must be an ISO-8601 instant such as 2026-11-24T10:00:00Z (was 'yesterday')",
            "ts|2026-11-24T10:06:00Z|must not be more than 5 minutes in the future",
            "ts|2026-10-01T00:00:00Z|must not be more than 30 days old",
            "recommendation_id||must be 1..1024 characters (was 0)"})
    void eachBrokenRuleNamesItsField(String field, String value, String reason) {
        Map<String, Object> event = event("click");
        event.put(field, value == null ? "" : value);

        assertThat(rejections(event)).singleElement().satisfies(rejection -> {
            assertThat(rejection.index()).isZero();
            assertThat(rejection.field()).isEqualTo(field);
            assertThat(rejection.reason()).contains(reason);
        });
    }

    @Test
    void idsFollowTheRulesOfTheRecommendationsEndpoint() {
        Map<String, Object> longest = event("click");
        longest.put("user", "u".repeat(128));
        longest.put("item_id", "i".repeat(128));
        Map<String, Object> tooLong = event("click");
        tooLong.put("user", "u".repeat(129));
        tooLong.put("item_id", "i".repeat(129));
        Map<String, Object> allCharacters = event("click");
        allCharacters.put("user", "a.Z_0:9@x-y");
        allCharacters.put("item_id", "a.Z_0:9-y");

        assertThat(VALIDATOR.validate(List.of(longest, allCharacters)).events()).hasSize(2);
        assertThat(rejections(tooLong)).extracting(EventRejection::field).containsExactly("user", "item_id");
    }

    @Test
    void requiredFieldsMustBePresentAndOfTheirType() {
        Map<String, Object> empty = new HashMap<>();
        Map<String, Object> wrongTypes = new LinkedHashMap<>();
        wrongTypes.put("user", 42);
        wrongTypes.put("item_id", List.of("i9"));
        wrongTypes.put("type", true);
        wrongTypes.put("ts", 1_732_442_400);
        wrongTypes.put("value", "4.5");
        wrongTypes.put("recommendation_id", Map.of());

        assertThat(rejections(empty)).extracting(EventRejection::field, EventRejection::reason).containsExactly(
                tuple("user", "is required"), tuple("item_id", "is required"), tuple("type", "is required"),
                tuple("ts", "is required"));
        assertThat(rejections(wrongTypes)).extracting(EventRejection::field, EventRejection::reason).containsExactly(
                tuple("user", "must be a string (was a number)"), tuple("item_id", "must be a string (was an array)"),
                tuple("type", "must be a string (was a boolean)"), tuple("ts", "must be a string (was a number)"),
                tuple("value", "must be a number (was a string)"),
                tuple("recommendation_id", "must be a string (was an object)"));
    }

    @Test
    void aJsonNullIsAnAbsentField() {
        Map<String, Object> event = event("click");
        event.put("value", null);
        event.put("recommendation_id", null);
        assertThat(VALIDATOR.validate(List.of(event)).events().getFirst().value()).isNull();

        event.put("user", null);
        assertThat(rejections(event)).extracting(EventRejection::reason).containsExactly("is required");
    }

    @ParameterizedTest(name = "rating value {0}")
    @CsvSource(delimiter = '|', value = {"0|", "5|", "2.5|", "-0.1|must be between 0 and 5 for rating events (was -0.1)",
                                         "5.01|must be between 0 and 5 for rating events (was 5.01)"})
    void ratingsAreBetweenZeroAndFive(double value, String reason) {
        Map<String, Object> event = event("rating");
        event.put("value", value);
        if (reason == null) {
            assertThat(VALIDATOR.validate(List.of(event)).events().getFirst().value()).isEqualTo(value);
        } else {
            assertThat(rejections(event)).singleElement().extracting(EventRejection::reason).isEqualTo(reason);
        }
    }

    @Test
    void aRatingNeedsAValueOtherEventsMayCarryAnyFiniteOne() {
        assertThat(rejections(event("rating"))).singleElement().satisfies(rejection -> {
            assertThat(rejection.field()).isEqualTo("value");
            assertThat(rejection.reason()).startsWith("is required for rating events");
        });
        Map<String, Object> purchase = event("purchase");
        purchase.put("value", 129);
        assertThat(VALIDATOR.validate(List.of(purchase)).events().getFirst().value()).isEqualTo(129.0);
        purchase.put("value", Double.POSITIVE_INFINITY);
        assertThat(rejections(purchase)).extracting(EventRejection::reason).containsExactly(
                "must be a finite number (was Infinity)");
    }

    @Test
    void aRecommendationIdTakesAtMost1024Characters() {
        Map<String, Object> event = event("impression");
        event.put("recommendation_id", "r".repeat(1024));
        assertThat(VALIDATOR.validate(List.of(event)).events()).hasSize(1);
        event.put("recommendation_id", "r".repeat(1025));
        assertThat(rejections(event)).extracting(EventRejection::reason).containsExactly("must be 1..1024 characters (was 1025)");
    }

    @Test
    void everyRejectionOfEveryEventIsListedWithItsIndex() {
        List<Object> events = new ArrayList<>();
        events.add(event("click"));
        Map<String, Object> twoFaults = event("teleport");
        twoFaults.put("ts", "2030-01-01T00:00:00Z");
        events.add(twoFaults);
        events.add("not an event");
        events.add(event("purchase"));
        Map<String, Object> badUser = event("click");
        badUser.put("user", "");
        events.add(badUser);

        assertThatThrownBy(() -> VALIDATOR.validate(events)).isInstanceOfSatisfying(InvalidEventsException.class,
                e -> assertThat(e.rejections()).extracting(EventRejection::index, EventRejection::field).containsExactly(
                        tuple(1, "type"), tuple(1, "ts"), tuple(2, "event"), tuple(4, "user")));
    }

    private static List<EventRejection> rejections(Object event) {
        try {
            VALIDATOR.validate(List.of(event));
        } catch (InvalidEventsException e) {
            return e.rejections();
        }
        throw new AssertionError("expected " + event + " to be rejected");
    }

    private static Map<String, Object> event(String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("user", "u1");
        event.put("item_id", "i9");
        event.put("type", type);
        event.put("ts", NOW.minusSeconds(60).toString());
        return event;
    }
}
