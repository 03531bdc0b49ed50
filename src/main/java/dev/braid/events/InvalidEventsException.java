package dev.braid.events;

import java.util.List;

/** A batch with at least one unacceptable event: nothing of it is applied, and every rejection is reported. */
public final class InvalidEventsException extends RuntimeException {
    private final List<EventRejection> rejections;

    public InvalidEventsException(List<EventRejection> rejections) {
        super(rejections.size() + " invalid event field(s); first: event " + rejections.getFirst().index() + " "
              + rejections.getFirst().field() + ": " + rejections.getFirst().reason(), null, false, false);
        this.rejections = List.copyOf(rejections);
    }

    public List<EventRejection> rejections() {
        return rejections;
    }
}
