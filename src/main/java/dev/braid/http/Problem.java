package dev.braid.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code request_id} lets a caller quote the log lines of its request;
 * {@code invalid_params} names each rejected parameter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(String type, String title, int status, String detail, String requestId, List<InvalidParam> invalidParams) {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://braid.dev/problems/";

    record InvalidParam(String name, String reason) {
    }

    static Problem of(int status, String slug, String title, String detail, String requestId) {
        return new Problem(TYPE_BASE + slug, title, status, detail, requestId, null);
    }

    static Problem invalidParameter(String parameter, String reason, String requestId) {
        return new Problem(TYPE_BASE + "invalid-parameter", "Invalid request parameter", 400,
                           parameter + ": " + reason, requestId, List.of(new InvalidParam(parameter, reason)));
    }
}
