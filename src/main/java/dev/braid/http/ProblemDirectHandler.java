package dev.braid.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * problem+json for the errors Helidon answers before routing: a malformed request line or header, an oversized body.
 */
public final class ProblemDirectHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        if (defaultStatus.code() == Status.REQUEST_URI_TOO_LONG_414.code()) {
            // The API's contract answers bad input with 400; an over-long URL is bad input, almost always a huge q.
            defaultStatus = Status.BAD_REQUEST_400;
            message = "the request line is longer than this server accepts (4096 bytes); q takes at most "
                      + SearchService.MAX_QUERY_LENGTH + " characters";
        }
        int status = defaultStatus.code();
        String detail = status >= 500 || message == null || message.isBlank()
                ? (status == 413 ? "the request body is larger than this server accepts"
                                 : status >= 500 ? "the request could not be processed" : "the request is not valid HTTP/1.1")
                : message;
        Problem problem = Problem.of(status, "http-" + status, defaultStatus.reasonPhrase(), detail, null);
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(Json.write(problem))
                .build();
    }
}
