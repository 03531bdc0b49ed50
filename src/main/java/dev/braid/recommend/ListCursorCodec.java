package dev.braid.recommend;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.braid.token.InvalidCursorException;
import dev.braid.token.SignedTokens;

/**
 * Recommendation cursors as opaque signed tokens. Their first two bytes say what wrote them, as search cursors' do, so
 * a cursor from /v1/search or /v1/feed is refused with that reason rather than misread.
 */
public final class ListCursorCodec {
    private static final byte VERSION = 1;
    /** After search's kinds (0 search, 1 feed). */
    private static final byte KIND = 2;

    private final SignedTokens tokens;
    private final Clock clock;
    private final Duration ttl;

    public ListCursorCodec(SignedTokens tokens, Clock clock, Duration ttl) {
        this.tokens = tokens;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A cursor for the page that starts at {@code offset} of the list {@code version}. */
    public String encode(String binding, String version, int offset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(KIND);
            out.writeUTF(binding);
            out.writeUTF(version);
            out.writeInt(offset);
            out.writeLong(clock.instant().plus(ttl).getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return tokens.seal(bytes.toByteArray());
    }

    /**
     * The cursor {@code token} stands for, if it was issued for a list bound to {@code binding} and has not expired.
     *
     * @throws InvalidCursorException naming why it cannot be honoured
     */
    public ListCursor decode(String token, String binding) {
        ListCursor cursor = read(tokens.open(token));
        if (!cursor.binding().equals(binding)) {
            throw new InvalidCursorException("issued for another user, segment or surface; start again without it");
        }
        if (cursor.expiresAt().isBefore(clock.instant())) {
            throw new InvalidCursorException("expired; start again without it");
        }
        return cursor;
    }

    private static ListCursor read(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                throw new InvalidCursorException("from an older version of the service; start again without it");
            }
            byte kind = in.readByte();
            if (kind != KIND) {
                throw new InvalidCursorException("issued by /v1/" + (kind == 1 ? "feed" : "search")
                                                 + ", not by /v1/recommendations");
            }
            ListCursor cursor = new ListCursor(in.readUTF(), in.readUTF(), in.readInt(),
                                               Instant.ofEpochSecond(in.readLong()));
            if (in.available() > 0) {
                throw new InvalidCursorException("malformed");
            }
            return cursor;
        } catch (IOException | IllegalArgumentException e) {
            // Only reachable with a valid tag, i.e. a token this service wrote with another layout.
            throw new InvalidCursorException("malformed");
        }
    }
}
