package dev.braid.search;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.token.InvalidCursorException;
import dev.braid.token.SealedTokens;
import dev.braid.token.TokenKind;

/**
 * Turns a {@link Cursor} into an opaque token and back: a compact binary form sealed by {@link SealedTokens}, so that
 * neither the query's binding nor the user's affinities can be read from it. A token that was changed, expired, issued
 * by another endpoint or for another query is refused with the reason; nothing in a token is read before it opens.
 */
public final class CursorCodec {
    private static final int MAX_VALUES = 16;
    private static final int MAX_AFFINITIES = 64;

    private final SealedTokens tokens;
    private final Clock clock;

    public CursorCodec(SealedTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public String encode(Cursor cursor) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(cursor.binding());
            out.writeLong(cursor.expiresAt().getEpochSecond());
            out.writeLong(cursor.origin() == null ? Long.MIN_VALUE : cursor.origin().toEpochMilli());
            out.writeUTF(cursor.snapshot() == null ? "" : cursor.snapshot());
            out.writeByte(cursor.after().size());
            for (Object value : cursor.after()) {
                writeValue(out, value);
            }
            writeWeights(out, cursor.affinities().categories());
            writeWeights(out, cursor.affinities().brands());
            out.writeByte(cursor.spelling().ordinal());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return tokens.seal(kind(cursor.kind()), bytes.toByteArray());
    }

    /**
     * The cursor {@code token} stands for, if it was issued for {@code kind} and a list bound to {@code binding} and
     * has not expired.
     *
     * @throws InvalidCursorException naming why it cannot be honoured
     */
    public Cursor decode(String token, Cursor.Kind kind, String binding) {
        Cursor cursor = read(kind, tokens.open(kind(kind), token));
        if (!cursor.binding().equals(binding)) {
            throw new InvalidCursorException("issued for another query, filters, sort or user; start again without it");
        }
        if (cursor.expiresAt().isBefore(clock.instant())) {
            throw new InvalidCursorException("expired; start again without it");
        }
        return cursor;
    }

    private static TokenKind kind(Cursor.Kind kind) {
        return switch (kind) {
            case SEARCH -> TokenKind.SEARCH_CURSOR;
            case FEED -> TokenKind.FEED_CURSOR;
        };
    }

    private static Cursor read(Cursor.Kind kind, byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            String binding = in.readUTF();
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            long origin = in.readLong();
            String snapshot = in.readUTF();
            int count = in.readByte();
            if (count < 0 || count > MAX_VALUES) {
                throw new InvalidCursorException("malformed");
            }
            List<Object> after = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                after.add(readValue(in));
            }
            Affinities affinities = new Affinities(readWeights(in), readWeights(in));
            // Cursors issued before searches matched exactly first have no spelling: they always forgave typos.
            Spelling spelling = in.available() == 0 ? Spelling.FORGIVING : spelling(in.readUnsignedByte());
            if (in.available() > 0) {
                throw new InvalidCursorException("malformed");
            }
            return new Cursor(kind, binding, expiresAt, after, affinities,
                              origin == Long.MIN_VALUE ? null : Instant.ofEpochMilli(origin),
                              snapshot.isEmpty() ? null : snapshot, spelling);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidCursorException invalid) {
                throw invalid;
            }
            // Only reachable for a token that opened, i.e. one this service wrote with a different layout.
            throw new InvalidCursorException("malformed");
        }
    }

    private static Spelling spelling(int ordinal) {
        if (ordinal >= Spelling.values().length) {
            throw new InvalidCursorException("malformed");
        }
        return Spelling.values()[ordinal];
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        switch (value) {
            case String text -> {
                out.writeByte('s');
                out.writeUTF(text);
            }
            case Long number -> {
                out.writeByte('l');
                out.writeLong(number);
            }
            case Double number -> {
                out.writeByte('d');
                out.writeDouble(number);
            }
            case Boolean flag -> {
                out.writeByte('b');
                out.writeBoolean(flag);
            }
            default -> throw new IllegalArgumentException("unsupported sort value " + value.getClass().getSimpleName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        return switch (in.readByte()) {
            case 's' -> in.readUTF();
            case 'l' -> in.readLong();
            case 'd' -> in.readDouble();
            case 'b' -> in.readBoolean();
            default -> throw new InvalidCursorException("malformed");
        };
    }

    private static void writeWeights(DataOutputStream out, Map<String, Double> weights) throws IOException {
        out.writeByte(weights.size());
        // Sorted, so the same affinities always give the same token.
        for (String name : weights.keySet().stream().sorted().toList()) {
            out.writeUTF(name);
            out.writeDouble(weights.get(name));
        }
    }

    private static Map<String, Double> readWeights(DataInputStream in) throws IOException {
        int count = in.readByte();
        if (count < 0 || count > MAX_AFFINITIES) {
            throw new InvalidCursorException("malformed");
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            weights.put(in.readUTF(), in.readDouble());
        }
        return weights;
    }
}
