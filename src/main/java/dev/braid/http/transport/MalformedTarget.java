package dev.braid.http.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Finds the part of a request target whose percent-encoding is broken ({@code %} without two hex digits, or escapes
 * that are not UTF-8), so that the 400 can name it: the query parameter by its name, or the path. Helidon's own check
 * refuses such a target before routing, in words that cannot name anything.
 */
final class MalformedTarget {
    /** Starts the message of the 400 this class names a part for; the rest is that part's name. */
    static final String MARKER = "malformed-target:";
    /** Names shown are bounded like every value Braid echoes. */
    private static final int MAX_NAME = 64;

    private MalformedTarget() {
    }

    /** The first query parameter whose name or value is not valid percent-encoded UTF-8, or {@code null}. */
    static String badParameter(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            String decodedName = decode(name);
            if (decodedName == null) {
                return "a parameter name";
            }
            if (decode(value) == null) {
                return shown(decodedName);
            }
        }
        return null;
    }

    /** Whether a raw path is valid percent-encoded UTF-8. */
    static boolean validPath(String rawPath) {
        return rawPath == null || decode(rawPath) != null;
    }

    /** The decoded text, or {@code null} when an escape is broken or the bytes are not UTF-8. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] bytes = new byte[raw.length()];
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0 || raw.charAt(i + 1) > 'f' || raw.charAt(i + 2) > 'f') {
                    return null;
                }
                bytes[length++] = (byte) (high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                return null; // a raw non-ASCII character is not a valid target either
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String shown(String name) {
        StringBuilder safe = new StringBuilder();
        name.codePoints().limit(MAX_NAME).forEach(c -> {
            if (Character.isISOControl(c)) {
                safe.append(String.format("\\u%04x", c));
            } else {
                safe.appendCodePoint(c);
            }
        });
        return safe.isEmpty() ? "a parameter without a name" : safe.toString();
    }
}
