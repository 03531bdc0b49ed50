package dev.braid.http;

import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.events.InvalidEventsException;
import dev.braid.observe.RequestContext;
import dev.braid.recommend.UnknownSurfaceException;
import dev.braid.token.InvalidCursorException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one mapping from exceptions to {@code application/problem+json}. Input errors name the parameter; anything
 * unexpected is a 500 without internals in the body, logged with the request id.
 */
public final class ProblemResponses implements ErrorHandler<Throwable> {
    private static final Logger LOG = Logger.getLogger(ProblemResponses.class.getName());

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable error) {
        String requestId = RequestContextFilter.requestId(req);
        Problem problem = switch (error) {
            case BadParameterException bad -> Problem.invalidParameter(bad.parameter(), bad.reason(), requestId);
            case JsonBody.MalformedBodyException malformed -> {
                // The rest of the stream cannot be framed: nothing more is read from this connection.
                res.header(HeaderValues.CONNECTION_CLOSE);
                yield Problem.invalidParameter("body", malformed.getMessage().substring("body: ".length()), requestId);
            }
            case UnknownSurfaceException unknown -> Problem.invalidParameter("surface", unknown.getMessage(), requestId);
            case InvalidCursorException invalid -> Problem.invalidParameter("cursor", invalid.getMessage(), requestId);
            case InvalidEventsException invalid -> Problem.invalidEvents(invalid.rejections(), requestId);
            case NotFoundProblem notFound -> Problem.of(404, "not-found", "Not found", notFound.getMessage(), requestId);
            case MethodNotAllowedProblem notAllowed -> {
                res.header(HeaderNames.ALLOW, notAllowed.allow());
                yield Problem.of(405, "method-not-allowed", "Method not allowed", notAllowed.getMessage(), requestId);
            }
            case NotAcceptableProblem notAcceptable -> Problem.of(406, "not-acceptable", "Not acceptable",
                                                                  notAcceptable.getMessage(), requestId);
            case UnsupportedMediaTypeProblem unsupported -> Problem.of(415, "unsupported-media-type",
                                                                       "Unsupported media type",
                                                                       unsupported.getMessage(), requestId);
            case UnavailableProblem unavailable -> {
                res.header(HeaderNames.RETRY_AFTER, "1");
                yield Problem.of(503, "unavailable", "Service unavailable", unavailable.getMessage(), requestId);
            }
            case IdempotencyProblem idempotency -> {
                if (idempotency.kind() == IdempotencyProblem.Kind.IN_FLIGHT) {
                    res.header(HeaderNames.RETRY_AFTER, "1");
                }
                yield Problem.of(idempotency.kind().status, idempotency.kind().slug, idempotency.kind().title,
                                 idempotency.getMessage(), requestId);
            }
            case OutcomeUnknownProblem unknown -> Problem.of(504, "outcome-unknown", "Outcome unknown",
                                                             unknown.getMessage(), requestId);
            case io.helidon.http.NotFoundException ignored ->
                    Problem.of(404, "no-such-endpoint", "Not found", "no endpoint " + req.prologue().method().text() + " "
                                                                      + req.path().rawPath(), requestId);
            case HttpException http when http.status().code() < 500 -> Problem.of(
                    http.status().code(), "http-" + http.status().code(), http.status().reasonPhrase(),
                    http.getMessage(), requestId);
            default -> {
                // The error handler runs outside the request's scope: bind its context again so the line carries the id.
                RequestContextFilter.context(req).ifPresentOrElse(
                        context -> RequestContext.bind(context).run(() -> logUnexpected(req, error)),
                        () -> logUnexpected(req, error));
                yield Problem.of(500, "internal-error", "Internal error",
                                 "the request failed unexpectedly; quote request id " + requestId, requestId);
            }
        };
        send(req, res, problem, requestId);
    }

    private static void logUnexpected(ServerRequest req, Throwable error) {
        LOG.log(Level.SEVERE, "unexpected failure of " + req.prologue().method().text() + " " + req.path().rawPath(), error);
    }

    static void send(ServerRequest req, ServerResponse res, Problem problem, String requestId) {
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (requestId != null) {
            res.header(RequestContextFilter.REQUEST_ID, requestId);
        }
        Answers.send(req, res, Problem.MEDIA_TYPE, Json.write(problem));
    }
}
