package dev.braid.http;

import java.math.BigDecimal;

/**
 * The one reader of numbers written in a request (query parameters, headers). Only ASCII digits count: Java's own
 * parsers also take other scripts' digits ({@code ١٢}, fullwidth {@code １２}), which no client means as a number. Length,
 * digits and scale are bounded before anything is converted, and there is no exponent: {@code 1e-999999999} is not a
 * price, and writing it out in full would take a gigabyte.
 */
final class Numbers {
    /** Enough for any int, with room for leading zeros a client may send. */
    static final int MAX_INTEGER_LENGTH = 11;

    private Numbers() {
    }

    /** {@code text} as an int, or {@code null} when it is not at most 11 ASCII digits with an optional leading '-'. */
    static Integer integer(String text) {
        int length = text.length();
        if (length == 0 || length > MAX_INTEGER_LENGTH) {
            return null;
        }
        boolean negative = text.charAt(0) == '-';
        int start = negative ? 1 : 0;
        if (start == length) {
            return null;
        }
        long value = 0;
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        value = negative ? -value : value;
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : (int) value;
    }

    /**
     * {@code text} as a decimal of at most {@code integerDigits} digits before the point and {@code scale} after it,
     * with an optional leading '-'; {@code null} for anything else (an exponent, a '+', spaces, other digits).
     */
    static BigDecimal decimal(String text, int integerDigits, int scale) {
        int length = text.length();
        if (length == 0 || length > integerDigits + scale + 2) {
            return null;
        }
        int start = text.charAt(0) == '-' ? 1 : 0;
        int point = -1;
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c == '.' && point < 0) {
                point = i;
            } else if (c < '0' || c > '9') {
                return null;
            }
        }
        int whole = (point < 0 ? length : point) - start;
        int fraction = point < 0 ? 0 : length - point - 1;
        if (whole < 1 || whole > integerDigits || (point >= 0 && (fraction < 1 || fraction > scale))) {
            return null;
        }
        return new BigDecimal(text);
    }
}
