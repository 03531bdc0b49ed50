package dev.braid.events;

/**
 * The answer a batch sent with an idempotency key got, kept with the key and replayed to every later request with the
 * same key and body. Only answers of applied batches are kept: a failure is not, so that a retry can succeed.
 *
 * @param status the HTTP status
 * @param body   the body, as sent
 */
public record StoredAnswer(int status, String body) {
}
