package dev.braid.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3): a number of seconds, or an HTTP-date. A value that is neither is
 * ignored rather than trusted; a date in the past means "now".
 */
public final class RetryAfter {
    /** Longer hold-offs than this are a broken header, not advice. */
    static final Duration LONGEST = Duration.ofHours(1);

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(bounded(Duration.ofSeconds(Long.parseLong(value))));
            } catch (NumberFormatException e) {
                return Optional.of(LONGEST);
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(clock.instant(), at);
            return Optional.of(until.isNegative() ? Duration.ZERO : bounded(until));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static Optional<Duration> parse(String header) {
        return parse(header, Clock.systemUTC());
    }

    private static Duration bounded(Duration duration) {
        return duration.compareTo(LONGEST) > 0 ? LONGEST : duration;
    }
}
