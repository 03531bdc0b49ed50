package dev.braid.token;

/** A cursor that cannot be honoured: malformed, tampered with, expired, or issued for another endpoint or query. */
public final class InvalidCursorException extends RuntimeException {
    public InvalidCursorException(String reason) {
        super(reason);
    }
}
