package dev.braid.http;

import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Content-Type} as RFC 9110 §8.3.1 writes it: {@code type "/" subtype *( OWS ";" OWS name "=" value )}, the
 * type, subtype and parameter names case-insensitive, a value a token or a quoted string. Read by hand because a
 * request's header is input like any other: bounded, and anything else is {@link Optional#empty()}, not a guess.
 *
 * @param type    lower case
 * @param subtype lower case
 * @param charset the {@code charset} parameter, lower case, or {@code null}
 */
record ContentType(String type, String subtype, String charset) {
    /** Far longer than any media type Braid accepts. */
    static final int MAX_LENGTH = 256;
    private static final String TCHAR = "!#$%&'*+-.^_`|~";

    static Optional<ContentType> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Cursor at = new Cursor(text);
        String type = at.token();
        if (type == null || !at.take('/')) {
            return Optional.empty();
        }
        String subtype = at.token();
        if (subtype == null) {
            return Optional.empty();
        }
        String charset = null;
        at.whitespace();
        while (!at.done()) {
            if (!at.take(';')) {
                return Optional.empty();
            }
            at.whitespace();
            if (at.done()) {
                break; // a trailing ';' is tolerated, as most servers do
            }
            String name = at.token();
            if (name == null || !at.take('=')) {
                return Optional.empty();
            }
            String value = at.peek() == '"' ? at.quoted() : at.token();
            if (value == null) {
                return Optional.empty();
            }
            if (name.equalsIgnoreCase("charset")) {
                if (charset != null) {
                    return Optional.empty(); // two charsets: ambiguous
                }
                charset = value.toLowerCase(Locale.ROOT);
            }
            at.whitespace();
        }
        return Optional.of(new ContentType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), charset));
    }

    /** {@code type/subtype}, as the client wrote it but in lower case. */
    String mediaType() {
        return type + "/" + subtype;
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        boolean done() {
            return position >= text.length();
        }

        char peek() {
            return done() ? 0 : text.charAt(position);
        }

        boolean take(char expected) {
            if (peek() == expected && !done()) {
                position++;
                return true;
            }
            return false;
        }

        void whitespace() {
            while (!done() && (peek() == ' ' || peek() == '\t')) {
                position++;
            }
        }

        String token() {
            int start = position;
            while (!done() && tchar(peek())) {
                position++;
            }
            return position == start ? null : text.substring(start, position);
        }

        /** A quoted string's content, with its {@code \}-escapes undone; {@code null} when it does not end. */
        String quoted() {
            position++; // the opening quote
            StringBuilder value = new StringBuilder();
            while (!done()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (done()) {
                        return null;
                    }
                    c = text.charAt(position++);
                }
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    return null;
                }
                value.append(c);
            }
            return null;
        }

        private static boolean tchar(char c) {
            return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || TCHAR.indexOf(c) >= 0;
        }
    }
}
