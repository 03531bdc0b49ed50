package dev.braid.recommend.pipeline;

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
import dev.braid.token.SealedTokens;
import dev.braid.token.TokenKind;

/**
 * Recommendation cursors as opaque sealed tokens of their own kind, so a cursor from /v1/search or /v1/feed is refused
 * with that reason rather than misread, and nothing of whom the list was made for can be read from one.
 */
public final class ListCursorCodec {
    private final SealedTokens tokens;
    private final Clock clock;
    private final Duration ttl;

    public ListCursorCodec(SealedTokens tokens, Clock clock, Duration ttl) {
        this.tokens = tokens;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A cursor for the page that starts at {@code offset} of the list {@code version}. */
    public String encode(String binding, String version, int offset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(binding);
            out.writeUTF(version);
            out.writeInt(offset);
            out.writeLong(clock.instant().plus(ttl).getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return tokens.seal(TokenKind.LIST_CURSOR, bytes.toByteArray());
    }

    /**
     * The cursor {@code token} stands for, if it was issued for a list bound to {@code binding} and has not expired.
     *
     * @throws InvalidCursorException naming why it cannot be honoured
     */
    public ListCursor decode(String token, String binding) {
        ListCursor cursor = read(tokens.open(TokenKind.LIST_CURSOR, token));
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
            ListCursor cursor = new ListCursor(in.readUTF(), in.readUTF(), in.readInt(),
                                               Instant.ofEpochSecond(in.readLong()));
            if (in.available() > 0) {
                throw new InvalidCursorException("malformed");
            }
            return cursor;
        } catch (IOException | IllegalArgumentException e) {
            // Only reachable for a token that opened, i.e. one this service wrote with another layout.
            throw new InvalidCursorException("malformed");
        }
    }
}
