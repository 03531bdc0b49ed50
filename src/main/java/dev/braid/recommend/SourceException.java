package dev.braid.recommend;

/** A source could not answer; {@link #status()} says how, in the envelope's terms. */
public final class SourceException extends RuntimeException {
    private final SourceStatus status;

    public SourceException(SourceStatus status, String message, Throwable cause) {
        super(message, cause);
        if (status == SourceStatus.OK || status == SourceStatus.SKIPPED) {
            throw new IllegalArgumentException("a failure cannot have status " + status);
        }
        this.status = status;
    }

    public SourceException(SourceStatus status, String message) {
        this(status, message, null);
    }

    public SourceStatus status() {
        return status;
    }
}
