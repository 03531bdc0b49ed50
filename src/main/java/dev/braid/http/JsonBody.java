package dev.braid.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.http.transport.ConnectionGuard;
import dev.braid.observe.BraidMeters;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;

/**
 * The one reader of request bodies: {@code Content-Type: application/json} (UTF-8) or 415, at most a given size (413),
 * read under the connection's body deadline, parsed strictly into plain JSON values (maps, lists, strings, numbers,
 * booleans) with bounded nesting and number length. A body that breaks HTTP framing (a bad chunk) is a 400 and the
 * connection closes; a client that goes away mid-body is no error of ours: logged quietly, counted, nothing answered.
 */
final class JsonBody {
    private static final Logger LOG = Logger.getLogger(JsonBody.class.getName());
    /** Deeper than any body Braid reads, shallow enough that no body can exhaust the stack. */
    private static final int MAX_NESTING = 16;
    /** Digits and signs of one number: more than a double or a long can mean. */
    private static final int MAX_NUMBER_LENGTH = 40;
    /** A repeated field or anything after the value is a malformed body, not a guess. */
    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                                                                          .streamReadConstraints(StreamReadConstraints.builder()
                                                                                                         .maxNestingDepth(MAX_NESTING)
                                                                                                         .maxNumberLength(MAX_NUMBER_LENGTH)
                                                                                                         .build())
                                                                          .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Object.class);

    private final int maxBytes;
    private final String shape;
    private final BraidMeters meters;

    /** @param shape what the body must look like, for the problems that name it */
    JsonBody(int maxBytes, String shape, BraidMeters meters) {
        this.maxBytes = maxBytes;
        this.shape = shape;
        this.meters = meters;
    }

    /** The body as plain JSON values. */
    Object read(ServerRequest req) {
        requireJson(req);
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            throw new BadParameterException("body", "is required: " + shape);
        }
        byte[] body = ConnectionGuard.withBodyDeadline(() -> bytes(req));
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        try {
            return READER.readValue(body);
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new BadParameterException("body", "is not valid JSON" + location + ": "
                                                    + abbreviate(String.valueOf(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new BadParameterException("body", "is not valid JSON: " + e.getClass().getSimpleName());
        }
    }

    private static void requireJson(ServerRequest req) {
        List<String> values = HeaderParameters.values(req, HeaderNames.CONTENT_TYPE);
        if (values.isEmpty()) {
            throw new UnsupportedMediaTypeProblem("Content-Type: must be application/json (none was sent)");
        }
        if (values.size() > 1) {
            throw new UnsupportedMediaTypeProblem("Content-Type: must be sent once (was sent " + values.size() + " times)");
        }
        ContentType type = ContentType.parse(values.getFirst()).orElseThrow(() -> new UnsupportedMediaTypeProblem(
                "Content-Type: must be application/json (was not a media type)"));
        if (!type.mediaType().equals("application/json")) {
            throw new UnsupportedMediaTypeProblem("Content-Type: must be application/json (was "
                                                  + abbreviate(type.mediaType()) + ")");
        }
        if (type.charset() != null && !type.charset().equals("utf-8")) {
            throw new UnsupportedMediaTypeProblem("Content-Type: JSON must be UTF-8 (was charset="
                                                  + abbreviate(type.charset()) + ")");
        }
    }

    /** The body, read no further than one byte past the limit. */
    private byte[] bytes(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            return in.readNBytes(maxBytes + 1);
        } catch (IOException | RuntimeException e) {
            if (peerGone(e)) {
                // The client closed, reset, or stalled past the body deadline (the connection is closed already):
                // there is nobody to answer.
                meters.clientAbort();
                LOG.log(Level.FINE, "client went away while its body was read", e);
                throw new CloseConnectionException("the client went away mid-body", e);
            }
            throw new MalformedBodyException(e);
        }
    }

    private static boolean peerGone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketException || cause instanceof ClosedChannelException
                || cause instanceof EOFException || cause instanceof InterruptedIOException
                || cause instanceof DataReader.InsufficientDataAvailableException) {
                return true;
            }
        }
        return false;
    }

    private HttpException tooLarge() {
        return new HttpException("body: must be at most " + maxBytes + " bytes; send less per request",
                                 Status.REQUEST_ENTITY_TOO_LARGE_413);
    }

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 197) + "...";
    }

    /** The body broke HTTP's framing (a malformed chunk): a 400, and the connection cannot be read further. */
    static final class MalformedBodyException extends RuntimeException {
        MalformedBodyException(Throwable cause) {
            super("body: its HTTP framing is malformed (a chunk size, chunk extension or trailer this server does not"
                  + " read)", cause, false, false);
        }
    }
}
