package dev.braid.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes an answer's body, gzipped when the client asks ({@link AnswerEncoding}), or for {@code HEAD} only its length:
 * the one place a body goes out.
 */
final class Answers {
    static final String JSON = "application/json";

    private Answers() {
    }

    static void json(ServerRequest req, ServerResponse res, byte[] body) {
        send(req, res, JSON, body);
    }

    static void send(ServerRequest req, ServerResponse res, String contentType, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        if (req.prologue().method() == Method.HEAD) {
            // The length GET would send (before any content coding, which HEAD does not apply), and no body.
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else if (AnswerEncoding.gzipAccepted(req)) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.send(AnswerEncoding.gzip(body));
        } else {
            res.send(body);
        }
    }
}
