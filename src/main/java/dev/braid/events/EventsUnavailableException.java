package dev.braid.events;

/** The store could not take the batch (down, slow, refusing): it was not applied, and the client should send it again. */
public final class EventsUnavailableException extends RuntimeException {
    public EventsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
