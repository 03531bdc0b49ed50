package dev.braid.http;

import java.util.List;

import dev.braid.events.EventRejection;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code request_id} lets a caller quote the log lines of its request;
 * {@code invalid_params} names each rejected parameter; {@code invalid_events} each rejected field of an event batch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(String type, String title, int status, String detail, String requestId, List<InvalidParam> invalidParams,
               List<InvalidEvent> invalidEvents) {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://braid.dev/problems/";

    record InvalidParam(String name, String reason) {
    }

    /** One rejected field of the event at {@code index} (from 0) of a batch. */
    record InvalidEvent(int index, String field, String reason) {
    }

    static Problem of(int status, String slug, String title, String detail, String requestId) {
        return new Problem(TYPE_BASE + slug, title, status, detail, requestId, null, null);
    }

    static Problem invalidParameter(String parameter, String reason, String requestId) {
        return new Problem(TYPE_BASE + "invalid-parameter", "Invalid request parameter", 400,
                           parameter + ": " + reason, requestId, List.of(new InvalidParam(parameter, reason)), null);
    }

    /** A well-formed batch with unacceptable events: 422, every rejection listed, nothing applied. */
    static Problem invalidEvents(List<EventRejection> rejections, String requestId) {
        EventRejection first = rejections.getFirst();
        long events = rejections.stream().mapToInt(EventRejection::index).distinct().count();
        String detail = "events: " + events + (events == 1 ? " event was" : " events were") + " rejected and nothing of "
                        + "the batch was applied; first: events[" + first.index() + "]." + first.field() + " "
                        + first.reason();
        return new Problem(TYPE_BASE + "invalid-events", "Invalid events", 422, detail, requestId, null,
                           rejections.stream().map(r -> new InvalidEvent(r.index(), r.field(), r.reason())).toList());
    }
}
