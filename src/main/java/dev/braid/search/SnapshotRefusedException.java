package dev.braid.search;

/**
 * The engine declined to open another point in time (OpenSearch's limit of open contexts). A refusal of that one
 * request, not a sign that the engine is unwell: it never counts toward a breaker, and the feed walks without one.
 */
public final class SnapshotRefusedException extends RuntimeException {
    public SnapshotRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
