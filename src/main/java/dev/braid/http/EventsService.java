package dev.braid.http;

import java.util.List;
import java.util.Map;

import dev.braid.events.EventBatch;
import dev.braid.events.EventIngestion;
import dev.braid.events.EventsUnavailableException;
import dev.braid.observe.BraidMeters;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/events}: read a bounded JSON body, hand its events to the ingestion, answer {@code 202}. A body that is
 * not {@code {"events": [...]}} with 1..500 entries is a 400 and an unacceptable event a 422 listing every rejection,
 * with nothing applied; a store that cannot take the batch is a 503 with {@code Retry-After}, so the client sends it again.
 * {@code Idempotency-Key} is accepted and not yet honoured: replaying answers by key arrives with its own issue.
 */
public final class EventsService implements HttpService {
    /** 500 events of a few hundred bytes each fit many times over; anything larger is not an event batch. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final String SHAPE = "{\"events\": [...]} with 1.." + EventBatch.MAX_EVENTS + " events";

    private final EventIngestion ingestion;
    private final JsonBody body;

    public EventsService(EventIngestion ingestion, BraidMeters meters) {
        this.ingestion = ingestion;
        this.body = new JsonBody(MAX_BODY_BYTES, SHAPE, meters);
    }

    record Accepted(int accepted) {
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.post(rules, "/", this::post);
    }

    private void post(ServerRequest req, ServerResponse res) {
        List<?> events = events(body.read(req));
        int accepted;
        try {
            accepted = ingestion.accept(events);
        } catch (EventsUnavailableException e) {
            throw new UnavailableProblem("events: the event store could not take the batch; send it again");
        }
        res.status(Status.ACCEPTED_202);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(new Accepted(accepted)));
    }

    /** The {@code events} array of a JSON object, as plain JSON values. */
    private static List<?> events(Object root) {
        if (!(root instanceof Map<?, ?> object)) {
            throw new BadParameterException("body", "must be a JSON object " + SHAPE);
        }
        if (!(object.get("events") instanceof List<?> events)) {
            throw new BadParameterException("events", object.get("events") == null ? "is required: " + SHAPE
                                                                                    : "must be an array: " + SHAPE);
        }
        if (events.isEmpty() || events.size() > EventBatch.MAX_EVENTS) {
            throw new BadParameterException("events", "must hold 1.." + EventBatch.MAX_EVENTS + " events (was "
                                                      + events.size() + ")");
        }
        return events;
    }
}
