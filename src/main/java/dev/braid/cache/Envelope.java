package dev.braid.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How an entry is kept in the shared tier: a schema version, the instants it goes stale and expires, what its load took
 * (for early refresh), then the codec's bytes. Whatever does not read back exactly so (another schema, a truncated value, bytes
 * written by something else) is no entry at all.
 */
final class Envelope {
    /** Bump when the layout or a codec changes incompatibly: older entries then read as misses. */
    static final int SCHEMA = 1;
    private static final int HEADER = Integer.BYTES + 3 * Long.BYTES;

    private Envelope() {
    }

    static byte[] write(long softAtMillis, long hardAtMillis, long loadMillis, byte[] payload) {
        return ByteBuffer.allocate(HEADER + payload.length).putInt(SCHEMA).putLong(softAtMillis).putLong(hardAtMillis)
                .putLong(loadMillis).put(payload).array();
    }

    /** The envelope's parts, or {@code null} when {@code bytes} is not a current envelope. */
    static Parts read(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt() != SCHEMA) {
            return null;
        }
        long softAt = buffer.getLong();
        long hardAt = buffer.getLong();
        long loadMillis = buffer.getLong();
        if (softAt <= 0 || hardAt < softAt || loadMillis < 0) {
            return null;
        }
        return new Parts(softAt, hardAt, loadMillis, Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }

    record Parts(long softAtMillis, long hardAtMillis, long loadMillis, byte[] payload) {
    }
}
