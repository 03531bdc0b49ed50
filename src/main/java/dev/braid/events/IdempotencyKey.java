package dev.braid.events;

import java.util.Objects;

/**
 * A client's {@code Idempotency-Key} (IETF httpapi idempotency-key draft), scoped to the caller that sent it: two
 * callers may use the same key for different batches without meeting.
 *
 * @param caller who sent it ({@code u:<user>} or {@code a:<client address>}, as the rate limits name callers)
 * @param value  the key as sent: 1..{@value #MAX_LENGTH} characters, none of them a control character
 */
public record IdempotencyKey(String caller, String value) {
    /** Longer keys are not identifiers but payloads; a UUID or a hash fits many times over. */
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        Objects.requireNonNull(caller, "caller");
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("Idempotency-Key: " + problem);
        }
    }

    /** Why {@code value} cannot be a key, or {@code null} when it can. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters (was " + value.length() + ")";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "must not hold control characters (one at position " + i + ")";
            }
        }
        return null;
    }
}
