package dev.braid.experiments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import dev.braid.token.InvalidCursorException;
import dev.braid.token.SealedTokens;
import dev.braid.token.TokenKind;

/**
 * Recommendation ids: sealed tokens ({@link SealedTokens}) of 64 random bits and, for an answer served in an
 * experiment, its arm, a fingerprint of the unit it was served to (the user or anonymous id the arm was assigned to) and
 * a 16-bit fingerprint of each item it showed. An event that names an id is credited to the arm only if this service
 * issued the id (no caller can make one up, nor change the arm in one), to that unit, and the event's item was on the
 * page, from the id alone: no lookup, no state shared between replicas.
 */
public final class RecommendationIds {
    /** More items than a page holds are not fingerprinted; the id stays short enough for any event. */
    private static final int MAX_ITEMS = 255;

    private final SealedTokens tokens;
    private final RandomGenerator random;

    /** Ids with bits from a {@link SecureRandom}: unique across replicas without coordination. */
    public RecommendationIds(SealedTokens tokens) {
        this(tokens, new SecureRandom());
    }

    public RecommendationIds(SealedTokens tokens, RandomGenerator random) {
        this.tokens = tokens;
        this.random = random;
    }

    /**
     * What an id this service issued says: the arm of its answer (if any), whom it was served to and which items it
     * showed.
     */
    public record Issued(Optional<Arm> arm, long unitFingerprint, short[] itemFingerprints) {
        /** Whether the answer was served to {@code unit} (a false positive is one chance in 2^64). */
        public boolean servedTo(String unit) {
            return unit != null && unitFingerprint == RecommendationIds.unitFingerprint(unit);
        }

        /** Whether {@code itemId} was on the page (a false positive is one chance in 65,536 per item on it). */
        public boolean showed(String itemId) {
            short wanted = fingerprint(itemId);
            for (short fingerprint : itemFingerprints) {
                if (fingerprint == wanted) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A new id for an answer that showed {@code items}, carrying the assignment's arm and the unit it was assigned (the
     * {@code unit}: the user, else the anonymous id) when there is one.
     */
    public String next(Optional<Assignment> assignment, String unit, List<String> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 2 * items.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(random.nextLong());
            out.writeBoolean(assignment.isPresent());
            if (assignment.isPresent()) {
                out.writeUTF(assignment.get().experiment());
                out.writeUTF(assignment.get().variant());
                out.writeLong(unitFingerprint(unit));
                int count = Math.min(items.size(), MAX_ITEMS);
                out.writeByte(count);
                for (int i = 0; i < count; i++) {
                    out.writeShort(fingerprint(items.get(i)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return tokens.seal(TokenKind.RECOMMENDATION_ID, bytes.toByteArray());
    }

    /** What {@code id} says; empty for anything this service did not issue (forged, changed, malformed, absent). */
    public Optional<Issued> read(String id) {
        if (id == null) {
            return Optional.empty();
        }
        byte[] payload;
        try {
            payload = tokens.open(TokenKind.RECOMMENDATION_ID, id);
        } catch (InvalidCursorException e) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            in.readLong();
            if (!in.readBoolean()) {
                return Optional.of(new Issued(Optional.empty(), 0, new short[0]));
            }
            Arm arm = new Arm(in.readUTF(), in.readUTF());
            long unit = in.readLong();
            short[] fingerprints = new short[in.readUnsignedByte()];
            for (int i = 0; i < fingerprints.length; i++) {
                fingerprints[i] = in.readShort();
            }
            return Optional.of(new Issued(Optional.of(arm), unit, fingerprints));
        } catch (IOException | RuntimeException e) {
            // Only for an id that opened, i.e. one written with another layout: it names nothing.
            return Optional.empty();
        }
    }

    /** 64 bits of SHA-256 of the unit: the id is sealed, so this only has to tell units apart. */
    static long unitFingerprint(String unit) {
        if (unit == null) {
            return 0;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(unit.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** 16 well-mixed bits of an item id; the id itself is all the sealing needs to hide. */
    static short fingerprint(String itemId) {
        int h = itemId.hashCode() * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return (short) (h ^ (h >>> 16));
    }
}
