package dev.braid.events;

/**
 * The store could not take the batch (down, slow, refusing). When {@link #maybeApplied()} is false it was not applied,
 * and the client should send it again; when true the store may have applied it before the failure reached us (a lost
 * reply, a timeout), and only a retry with the same idempotency key is safe.
 */
public final class EventsUnavailableException extends RuntimeException {
    private final boolean maybeApplied;

    public EventsUnavailableException(String message, Throwable cause, boolean maybeApplied) {
        super(message, cause);
        this.maybeApplied = maybeApplied;
    }

    public boolean maybeApplied() {
        return maybeApplied;
    }
}
