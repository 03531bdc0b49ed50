package dev.braid.http;

import java.util.Map;

import dev.braid.http.transport.ConnectionGuard;
import dev.braid.observe.AnswerOutcome;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.RouteMeters;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * problem+json for what Helidon answers before routing: a malformed request line or header, ambiguous framing, an
 * oversized body, an HTTP version other than 1.1, a replica over its concurrency bound, a client over its connection
 * share. Each of these closes the connection. The details are Braid's own words: Helidon's may echo the input.
 */
public final class ProblemDirectHandler implements DirectHandler {
    private final Map<Endpoint, RouteMeters> meters;
    private final BraidMeters counts;

    /** @param meters where a request shed before routing (the concurrency bound) is counted */
    public ProblemDirectHandler(BraidMeters meters) {
        this.meters = Endpoint.meters(meters);
        this.counts = meters;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        Status status = defaultStatus;
        // Helidon reports a request line it could not even parse (a method with a control character) as its own error,
        // before any request exists: that is bad input, not ours.
        boolean badRequestLine = eventType == EventType.INTERNAL_ERROR && request.method().isEmpty();
        if (status.code() == Status.REQUEST_URI_TOO_LONG_414.code() || status.code() == Status.NOT_IMPLEMENTED_501.code()
            || badRequestLine) {
            // The API's contract answers bad input with 400: an over-long URL (almost always a huge q), a transfer coding
            // other than chunked, a method with characters HTTP does not allow.
            status = Status.BAD_REQUEST_400;
        }
        String detail = badRequestLine ? "the request line is not valid HTTP/1.1: its method or target holds a character"
                                         + " HTTP does not allow there"
                : switch (defaultStatus.code()) {
            case 414 -> "the request line is longer than this server accepts (4096 bytes); q takes at most "
                        + SearchService.MAX_QUERY_LENGTH + " characters";
            case 400 -> "the request is not valid HTTP/1.1: a malformed request line or header, or ambiguous framing "
                        + "(a Transfer-Encoding other than a final chunked, an invalid or repeated Content-Length, or "
                        + "both headers)";
            case 413 -> "the request body is larger than this server accepts";
            case 501 -> "the request's Transfer-Encoding names a coding other than chunked, which this server does not read";
            case 429 -> "too many connections from this client address; reuse or close some, then retry";
            case 431 -> "the request's header section is larger than this server accepts (16 KiB)";
            case 503 -> "this replica is at its bound of concurrent requests; retry shortly";
            case 505 -> "only HTTP/1.1 is served; send the request as HTTP/1.1";
            default -> defaultStatus.code() >= 500 ? "the request could not be processed"
                    : "the request is not valid HTTP/1.1";
        };
        String malformed = status.code() == 400 ? ConnectionGuard.malformedTargetPart(message, request.path()) : null;
        if (status.code() == 503 || status.code() == 429) {
            responseHeaders.set(HeaderNames.RETRY_AFTER, "1");
        }
        if (status.code() == 503) {
            // Shed before routing, so the request filter never saw it: counted here, as answered at once.
            meters.get(Endpoint.of(request.path())).served(request.method(), 503, AnswerOutcome.SHED, 0);
            counts.shed();
        }
        Problem problem = malformed != null
                ? Problem.invalidParameter(malformed, "is not valid percent-encoded UTF-8", null)
                : Problem.of(status.code(), "http-" + status.code(), status.reasonPhrase(), detail, null);
        return TransportResponse.builder()
                .status(status)
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(Json.write(problem))
                .build();
    }
}
