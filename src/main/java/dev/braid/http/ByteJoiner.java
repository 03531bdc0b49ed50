package dev.braid.http;

import java.util.Arrays;

/**
 * Byte arrays joined into one with a single copy, sized exactly: a page is mostly parts encoded before (its items, its
 * list's fields), and a growing stream would copy them twice more on the way to the array the response sends.
 */
final class ByteJoiner {
    private byte[][] parts;
    private int count;
    private int length;

    ByteJoiner(int expectedParts) {
        parts = new byte[Math.max(1, expectedParts)][];
    }

    ByteJoiner add(byte[] part) {
        if (count == parts.length) {
            parts = Arrays.copyOf(parts, count * 2);
        }
        parts[count++] = part;
        length = Math.addExact(length, part.length);
        return this;
    }

    byte[] join() {
        byte[] joined = new byte[length];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(parts[i], 0, joined, at, parts[i].length);
            at += parts[i].length;
        }
        return joined;
    }
}
