package dev.braid.http;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads the request headers Braid acts on, each bounded before it is parsed. A header whose value breaks its rule is a
 * 400 naming it; headers browsers send on their own ({@code Accept-Language}) are never a reason to fail.
 */
final class HeaderParameters {
    /** No header Braid reads is longer; a longer one is refused before it is parsed. */
    static final int MAX_LENGTH = 256;
    private static final int MAX_LANGUAGE_LENGTH = 256;

    private HeaderParameters() {
    }

    /** The header's trimmed value, or {@code null} when absent; a 400 naming it when it breaks {@code rule}. */
    static String text(ServerRequest req, HeaderName name, Pattern pattern, String rule) {
        Optional<String> header = single(req, name);
        if (header.isEmpty()) {
            return null;
        }
        String value = header.get().trim();
        if (value.length() > MAX_LENGTH || !pattern.matcher(value).matches()) {
            throw new BadParameterException(name.defaultCase(), rule + " (was '" + QueryParameters.abbreviate(value)
                                                                + "')");
        }
        return value;
    }

    /** A duration in whole milliseconds between {@code min} and {@code max}, or {@code null} when absent. */
    static Duration millis(ServerRequest req, HeaderName name, int min, int max) {
        Optional<String> header = single(req, name);
        if (header.isEmpty()) {
            return null;
        }
        Integer millis = Numbers.integer(header.get().trim());
        if (millis == null || millis < min || millis > max) {
            throw new BadParameterException(name.defaultCase(), "must be whole milliseconds between " + min + " and "
                                                                + max + " (was '"
                                                                + QueryParameters.abbreviate(header.get()) + "')");
        }
        return Duration.ofMillis(millis);
    }

    /** The primary language of the caller's first choice, or {@code null}; malformed or oversized: none. */
    static String language(ServerRequest req) {
        var header = req.headers().first(HeaderNames.ACCEPT_LANGUAGE);
        if (header.isEmpty() || header.get().length() > MAX_LANGUAGE_LENGTH) {
            return null;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header.get())) {
                String primary = range.getRange().split("-", 2)[0];
                if (!primary.equals("*") && range.getWeight() > 0) {
                    return primary.toLowerCase(Locale.ROOT);
                }
            }
        } catch (IllegalArgumentException ignored) {
            // malformed: answer without a language
        }
        return null;
    }

    /**
     * Every value of {@code name}, in order; none when it is absent. Asked first whether it is there at all: most
     * requests send none of the headers Braid reads, and listing values costs a stream each time.
     */
    static List<String> values(ServerRequest req, HeaderName name) {
        return req.headers().contains(name) ? req.headers().values(name) : List.of();
    }

    private static Optional<String> single(ServerRequest req, HeaderName name) {
        var values = values(req, name);
        if (values.size() > 1) {
            throw new BadParameterException(name.defaultCase(), "must be sent once (was sent " + values.size()
                                                                + " times)");
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
