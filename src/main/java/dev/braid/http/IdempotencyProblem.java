package dev.braid.http;

/**
 * A request with an {@code Idempotency-Key} that cannot be processed as sent: the key is in use by a request still in
 * flight (409, retry shortly), or was used with another body (422, a client bug: use a new key for a new batch).
 */
final class IdempotencyProblem extends RuntimeException {
    enum Kind {
        IN_FLIGHT(409, "idempotency-key-in-flight", "Idempotency key in use"),
        REUSED(422, "idempotency-key-reused", "Idempotency key reused");

        final int status;
        final String slug;
        final String title;

        Kind(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }
    }

    private final Kind kind;

    IdempotencyProblem(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
