package dev.braid.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Conditional GETs and cache headers. ETags are weak: they stand for what the answer means (the list and how it was
 * made), not its exact bytes, which include a fresh recommendation id every time.
 */
final class HttpCaching {
    /** What the answer depends on besides the URL. */
    static final String VARY = "Accept-Language, X-Country, Accept-Encoding";

    private HttpCaching() {
    }

    static String weakEtag(String meaning) {
        return weakEtag(meaning.getBytes(StandardCharsets.UTF_8));
    }

    /** The tag of an answer whose bytes are all it means: everything that shapes the body is in the tag. */
    static String weakEtag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether {@code If-None-Match} names {@code etag} (weak comparison, RFC 9110 §13.1.2). */
    static boolean notModified(ServerRequest req, String etag) {
        String opaque = opaque(etag);
        for (String header : HeaderParameters.values(req, HeaderNames.IF_NONE_MATCH)) {
            for (String tag : header.split(",")) {
                String candidate = tag.trim();
                if (candidate.equals("*") || opaque(candidate).equals(opaque)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes the validators and caching policy; answers 304 and returns {@code true} when the client is current. */
    static boolean answerIfNotModified(ServerRequest req, ServerResponse res, String etag, String cacheControl) {
        return answerIfNotModified(req, res, etag, cacheControl, VARY);
    }

    /** As above, for an answer that depends on the headers {@code vary} names. */
    static boolean answerIfNotModified(ServerRequest req, ServerResponse res, String etag, String cacheControl,
                                       String vary) {
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        res.header(HeaderNames.VARY, vary);
        if (notModified(req, etag)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return true;
        }
        return false;
    }

    static String personal() {
        return "private, no-cache";
    }

    static String shared(Duration maxAge) {
        return "public, max-age=" + maxAge.toSeconds();
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
