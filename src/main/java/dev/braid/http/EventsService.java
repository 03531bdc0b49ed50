package dev.braid.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.events.EventBatch;
import dev.braid.events.EventIngestion;
import dev.braid.events.EventsUnavailableException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
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
    /** Plain JSON values; a repeated field or anything after the object is a malformed body, not a guess. */
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Object.class);

    private final EventIngestion ingestion;

    public EventsService(EventIngestion ingestion) {
        this.ingestion = ingestion;
    }

    record Accepted(int accepted) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::post);
    }

    private void post(ServerRequest req, ServerResponse res) {
        List<?> events = events(body(req));
        int accepted;
        try {
            accepted = ingestion.accept(events);
        } catch (EventsUnavailableException e) {
            throw new UnavailableProblem("events: the event store could not take the batch; send it again");
        }
        res.status(Status.ACCEPTED_202);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.write(new Accepted(accepted)));
    }

    /** The body, read no further than the limit. */
    private static byte[] body(ServerRequest req) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            throw new BadParameterException("body", "is required: " + SHAPE);
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | UncheckedIOException e) {
            throw new BadParameterException("body", "could not be read completely (" + e.getClass().getSimpleName() + ")");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return body;
    }

    /** The {@code events} array of a JSON object, as plain JSON values. */
    private static List<?> events(byte[] body) {
        Object root;
        try {
            root = READER.readValue(body);
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new BadParameterException("body", "is not valid JSON" + location + ": "
                                                    + abbreviate(String.valueOf(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new BadParameterException("body", "is not valid JSON: " + e.getClass().getSimpleName());
        }
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

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 197) + "...";
    }

    private static HttpException tooLarge() {
        return new HttpException("body: must be at most " + MAX_BODY_BYTES + " bytes (1 MiB); send fewer events per "
                                 + "request", Status.REQUEST_ENTITY_TOO_LARGE_413);
    }
}
