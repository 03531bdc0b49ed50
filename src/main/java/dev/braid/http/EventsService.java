package dev.braid.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.braid.events.EventBatch;
import dev.braid.events.EventIngestion;
import dev.braid.events.EventsUnavailableException;
import dev.braid.events.Fingerprint;
import dev.braid.events.IdempotencyKey;
import dev.braid.events.StoredAnswer;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.RequestContext;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/events}: read a bounded JSON body, hand its events to the ingestion, answer {@code 202}. A body that is
 * not {@code {"events": [...]}} with 1..500 entries is a 400 and an unacceptable event a 422 listing every rejection,
 * with nothing applied. A store that cannot take the batch is a 503 with {@code Retry-After}: nothing was applied, send
 * it again. A store whose reply was lost is, without a key, a 504: the outcome is unknown.
 *
 * <p>{@code Idempotency-Key} (IETF httpapi idempotency-key draft; Stripe's behaviour): the key is scoped to the caller
 * and stored with a fingerprint of the canonical body. The same key and body again replays the first answer with
 * {@code Idempotent-Replayed: true} and applies nothing; the same key with another body is a 422; the same key while
 * the first request is in flight is a 409 with {@code Retry-After}. Only applied batches are kept: after a 503 the
 * retry with the key applies the batch, once.
 */
public final class EventsService implements HttpService {
    /** 500 events of a few hundred bytes each fit many times over; anything larger is not an event batch. */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    static final HeaderName IDEMPOTENT_REPLAYED = HeaderNames.create("Idempotent-Replayed");
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
        String key = idempotencyKey(req);
        Object root = body.read(req);
        List<?> events = events(root);
        if (key == null) {
            int accepted;
            try {
                accepted = ingestion.accept(events);
            } catch (EventsUnavailableException e) {
                if (e.maybeApplied()) {
                    throw new OutcomeUnknownProblem("events: the event store did not confirm the batch and may or may "
                                                    + "not have applied it; sending it again may count it twice. Send an "
                                                    + "Idempotency-Key to make retries safe");
                }
                throw new UnavailableProblem("events: the event store could not take the batch and applied none of "
                                             + "it; send it again");
            }
            answer(req, res, new StoredAnswer(202, text(Json.write(new Accepted(accepted)))), false);
            return;
        }
        EventIngestion.Outcome outcome;
        try {
            outcome = ingestion.accept(events, new IdempotencyKey(RequestContext.currentCaller(), key),
                                       Fingerprint.of(root),
                                       accepted -> new StoredAnswer(202, text(Json.write(new Accepted(accepted)))));
        } catch (EventsUnavailableException e) {
            throw new UnavailableProblem("events: the event store could not take the batch; send it again with the "
                                         + "same Idempotency-Key, it is applied once");
        }
        switch (outcome) {
            case EventIngestion.Outcome.Applied applied -> answer(req, res, applied.answer(), false);
            case EventIngestion.Outcome.Replayed replayed -> answer(req, res, replayed.answer(), true);
            case EventIngestion.Outcome.InFlight ignored -> throw new IdempotencyProblem(
                    IdempotencyProblem.Kind.IN_FLIGHT, "Idempotency-Key: a request with this key is being processed; "
                                                       + "retry after it finished to get its answer");
            case EventIngestion.Outcome.KeyReused ignored -> throw new IdempotencyProblem(
                    IdempotencyProblem.Kind.REUSED, "Idempotency-Key: this key was used for a request with another "
                                                    + "body; use a new key for a new batch");
        }
    }

    private static void answer(ServerRequest req, ServerResponse res, StoredAnswer answer, boolean replayed) {
        res.status(Status.create(answer.status()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (replayed) {
            res.header(IDEMPOTENT_REPLAYED, "true");
        }
        Answers.json(req, res, answer.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The request's key, or {@code null}; a 400 naming the header when it is not a usable key. */
    private static String idempotencyKey(ServerRequest req) {
        List<String> values = req.headers().values(IDEMPOTENCY_KEY);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadParameterException(IDEMPOTENCY_KEY.defaultCase(), "must be sent once (was sent "
                                                                           + values.size() + " times)");
        }
        String key = values.getFirst();
        String problem = IdempotencyKey.problem(key);
        if (problem != null) {
            throw new BadParameterException(IDEMPOTENCY_KEY.defaultCase(), problem);
        }
        return key;
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
