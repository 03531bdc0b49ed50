package dev.braid.http;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;

import io.helidon.common.uri.UriQuery;

/**
 * Reads query parameters with the rules of the public API, every one bounded before it is used: how many parameters,
 * how often one repeats, each value's length, and numbers through {@link Numbers}. Every rejection is a
 * {@link BadParameterException} naming the parameter; nothing here can turn bad input into a 500.
 */
final class QueryParameters {
    /** More distinct parameters than any endpoint reads, with room for filters. */
    static final int MAX_NAMES = 32;
    /** A repeated parameter (filter values, excludes given one by one) may appear this often. */
    static final int MAX_REPEATS = 100;
    /** Decimals: a price of up to a billion, to the millionth. */
    private static final int DECIMAL_DIGITS = 10;
    private static final int DECIMAL_SCALE = 6;

    private final UriQuery query;

    QueryParameters(UriQuery query) {
        this.query = query;
        Set<String> names;
        try {
            names = query.names();
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("query", "a parameter name is not valid percent-encoded UTF-8");
        }
        if (names.size() > MAX_NAMES) {
            throw new BadParameterException("query", "at most " + MAX_NAMES + " distinct parameters (was "
                                                     + names.size() + ")");
        }
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

    /**
     * Like {@link #text}, but a value that is empty or only spaces counts as absent: a search box submitted empty means
     * "no words", not a mistake.
     */
    String textOrBlank(String name, Pattern pattern, String rule) {
        List<String> values = all(name);
        if (values.size() == 1 && values.getFirst().isBlank()) {
            return null;
        }
        return text(name, pattern, rule);
    }

    int integer(String name, int defaultValue, int min, int max) {
        String value = single(name);
        if (value == null) {
            return defaultValue;
        }
        Integer parsed = Numbers.integer(value);
        if (parsed == null) {
            throw new BadParameterException(name, "must be a whole number between " + min + " and " + max
                                                  + " (was '" + abbreviate(value) + "')");
        }
        if (parsed < min || parsed > max) {
            throw new BadParameterException(name, "must be between " + min + " and " + max + " (was " + parsed + ")");
        }
        return parsed;
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
                if (values.size() > maxSize) {
                    throw new BadParameterException(name, "at most " + maxSize + " values");
                }
            }
        }
        return values;
    }

    /** A single-valued decimal in {@code [min, max]}, or {@code null} when absent. */
    BigDecimal decimal(String name, BigDecimal min, BigDecimal max) {
        String value = single(name);
        if (value == null) {
            return null;
        }
        BigDecimal parsed = Numbers.decimal(value, DECIMAL_DIGITS, DECIMAL_SCALE);
        if (parsed != null && parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
            return parsed;
        }
        throw new BadParameterException(name, "must be a number between " + min.toPlainString() + " and "
                                              + max.toPlainString() + " with at most " + DECIMAL_SCALE
                                              + " decimals, digits and '.' only (was '" + abbreviate(value) + "')");
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
        List<String> values;
        try {
            values = query.contains(name) ? query.all(name) : List.of();
        } catch (NoSuchElementException e) {
            return List.of();
        } catch (IllegalArgumentException e) {
            // Malformed percent-encoding is only discovered when the value is decoded.
            throw new BadParameterException(name, "is not valid percent-encoded UTF-8");
        }
        if (values.size() > MAX_REPEATS) {
            throw new BadParameterException(name, "given at most " + MAX_REPEATS + " times (was " + values.size() + ")");
        }
        return values;
    }

    static String abbreviate(String value) {
        String shown = value.length() <= 64 ? value : value.substring(0, 61) + "...";
        // Control characters would break a log line or a terminal: shown escaped.
        StringBuilder safe = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                safe.append(String.format("\\u%04x", c));
            } else {
                safe.appendCodePoint(c);
            }
        });
        return safe.toString();
    }
}
