package dev.braid.http;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;

import io.helidon.common.uri.UriQuery;

/**
 * Reads query parameters with the rules of the public API. Every rejection is a {@link BadParameterException} naming
 * the parameter; nothing here can turn bad input into a 500.
 */
final class QueryParameters {
    private final UriQuery query;

    QueryParameters(UriQuery query) {
        this.query = query;
    }

    /** The names of the parameters present. */
    Set<String> names() {
        return query.names();
    }

    boolean has(String name) {
        return !all(name).isEmpty();
    }

    /** A single-valued text parameter matching {@code pattern}, or {@code null} when absent. */
    String text(String name, Pattern pattern, String rule) {
        String value = single(name);
        if (value == null) {
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            throw new BadParameterException(name, rule + " (was '" + abbreviate(value) + "')");
        }
        return value;
    }

    int integer(String name, int defaultValue, int min, int max) {
        String value = single(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new BadParameterException(name, "must be between " + min + " and " + max + " (was " + parsed + ")");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadParameterException(name, "must be a whole number between " + min + " and " + max
                                                  + " (was '" + abbreviate(value) + "')");
        }
    }

    /** A comma-separated list (the parameter may also repeat), each element matching {@code element}. */
    Set<String> list(String name, Pattern element, String rule, int maxSize) {
        Set<String> values = new LinkedHashSet<>();
        for (String raw : all(name)) {
            for (String part : raw.split(",", -1)) {
                String value = part.trim();
                if (value.isEmpty()) {
                    continue;
                }
                if (!element.matcher(value).matches()) {
                    throw new BadParameterException(name, rule + " (was '" + abbreviate(value) + "')");
                }
                values.add(value);
            }
        }
        if (values.size() > maxSize) {
            throw new BadParameterException(name, "at most " + maxSize + " values (was " + values.size() + ")");
        }
        return values;
    }

    /** A single-valued decimal in {@code [min, max]}, or {@code null} when absent. */
    BigDecimal decimal(String name, BigDecimal min, BigDecimal max) {
        String value = single(name);
        if (value == null) {
            return null;
        }
        try {
            BigDecimal parsed = new BigDecimal(value.trim());
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the rule
        }
        throw new BadParameterException(name, "must be a number between " + min.toPlainString() + " and "
                                              + max.toPlainString() + " (was '" + abbreviate(value) + "')");
    }

    private String single(String name) {
        List<String> values = all(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadParameterException(name, "must be given once (was given " + values.size() + " times)");
        }
        String value = values.getFirst();
        if (value.isEmpty()) {
            throw new BadParameterException(name, "must not be empty");
        }
        return value;
    }

    private List<String> all(String name) {
        try {
            return query.contains(name) ? query.all(name) : List.of();
        } catch (NoSuchElementException e) {
            return List.of();
        } catch (IllegalArgumentException e) {
            // Malformed percent-encoding is only discovered when the value is decoded.
            throw new BadParameterException(name, "is not valid percent-encoded UTF-8");
        }
    }

    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
