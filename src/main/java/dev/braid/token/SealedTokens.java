package dev.braid.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque tokens a client hands back (cursors, recommendation ids): sealed with AES-256-GCM, so their bytes reveal
 * nothing (not the user's affinities, not the query) and cannot be changed unnoticed. Each names the key that sealed
 * it by a 4-byte id: tokens are sealed with the first configured secret and opened with any of them, so a secret is
 * rotated by putting the new one first and keeping the old one listed until its tokens have expired.
 *
 * <p>Layout, in URL-safe base64 without padding: version (1 byte) | key id (4) | nonce (12) | ciphertext | tag (16);
 * the version and key id are authenticated too. Inside: the {@link TokenKind} (1 byte) and the payload. A token of the
 * older signed format (it has a dot) is refused as from an older version of the service.
 */
public final class SealedTokens {
    /** Tokens longer than this are refused unread. */
    public static final int MAX_LENGTH = 4096;
    private static final byte VERSION = 2;
    private static final int KEY_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 1 + KEY_ID_BYTES;
    private static final int MIN_SECRET_LENGTH = 16;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNBASE64 = Base64.getUrlDecoder();

    private record Key(byte[] id, SecretKeySpec aes) {
    }

    private final List<Key> keys;
    /**
     * GCM nonces: a random prefix chosen once and a counter from a random start. Unique for every token this process
     * seals (what GCM requires), without asking the system's random source on every answer.
     */
    private final int noncePrefix;
    private final AtomicLong nonceCounter;
    /** Ciphers are re-initialized for every token, but made once: virtual threads would defeat a thread-local. */
    private final ConcurrentLinkedQueue<Cipher> ciphers = new ConcurrentLinkedQueue<>();

    /**
     * @param secrets the newest first: it seals; every one of them opens. Each at least 16 bytes.
     */
    public SealedTokens(List<byte[]> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one token secret is needed");
        }
        List<Key> derived = new ArrayList<>();
        for (byte[] secret : secrets) {
            if (secret.length < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("a token secret must have at least " + MIN_SECRET_LENGTH + " bytes");
            }
            derived.add(derive(secret));
        }
        this.keys = List.copyOf(derived);
        SecureRandom random = new SecureRandom();
        this.noncePrefix = random.nextInt();
        this.nonceCounter = new AtomicLong(random.nextLong());
    }

    /** The id of the key new tokens are sealed with, in hex: for operators checking a rotation. */
    public String currentKeyId() {
        return java.util.HexFormat.of().formatHex(keys.getFirst().id());
    }

    public String seal(TokenKind kind, byte[] payload) {
        Key key = keys.getFirst();
        byte[] nonce = ByteBuffer.allocate(NONCE_BYTES).putInt(noncePrefix).putLong(nonceCounter.getAndIncrement())
                .array();
        byte[] plain = new byte[payload.length + 1];
        plain[0] = kind.wire();
        System.arraycopy(payload, 0, plain, 1, payload.length);
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] header = header(key);
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer token = ByteBuffer.allocate(header.length + NONCE_BYTES + sealed.length);
            token.put(header).put(nonce).put(sealed);
            return BASE64.encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } finally {
            ciphers.offer(cipher);
        }
    }

    /**
     * The payload {@code token} carries, if it is a token of {@code expected}.
     *
     * @throws InvalidCursorException naming why not: malformed, changed or sealed with a key no longer configured, from
     *                                an older version, or issued by another endpoint
     */
    public byte[] open(TokenKind expected, String token) {
        if (token.length() > MAX_LENGTH) {
            throw new InvalidCursorException("malformed (longer than " + MAX_LENGTH + " characters)");
        }
        if (token.indexOf('.') >= 0) {
            throw new InvalidCursorException("from an older version of the service; start again without it");
        }
        byte[] bytes;
        try {
            bytes = UNBASE64.decode(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("malformed");
        }
        // Base64 decoding ignores a last character's unused bits: only the one spelling this service writes is valid.
        if (bytes.length < HEADER_BYTES + NONCE_BYTES + TAG_BITS / 8 + 1 || !BASE64.encodeToString(bytes).equals(token)) {
            throw new InvalidCursorException("malformed");
        }
        if (bytes[0] != VERSION) {
            throw new InvalidCursorException("from another version of the service; start again without it");
        }
        Key key = key(Arrays.copyOfRange(bytes, 1, HEADER_BYTES));
        byte[] plain;
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.aes(),
                        new GCMParameterSpec(TAG_BITS, bytes, HEADER_BYTES, NONCE_BYTES));
            cipher.updateAAD(bytes, 0, HEADER_BYTES);
            plain = cipher.doFinal(bytes, HEADER_BYTES + NONCE_BYTES, bytes.length - HEADER_BYTES - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new InvalidCursorException("tampered with, or not issued by this service");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } finally {
            ciphers.offer(cipher);
        }
        TokenKind kind = TokenKind.of(plain[0]);
        if (kind != expected) {
            throw new InvalidCursorException("issued by " + (kind == null ? "something else" : kind.issuer())
                                             + ", not by " + expected.issuer());
        }
        return Arrays.copyOfRange(plain, 1, plain.length);
    }

    private Key key(byte[] id) {
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.id(), id)) {
                return key;
            }
        }
        throw new InvalidCursorException("tampered with, or not issued by this service (or with a secret no longer "
                                         + "configured)");
    }

    private static byte[] header(Key key) {
        byte[] header = new byte[HEADER_BYTES];
        header[0] = VERSION;
        System.arraycopy(key.id(), 0, header, 1, KEY_ID_BYTES);
        return header;
    }

    /** A secret of any length becomes a 256-bit key (HMAC-SHA256 as an extractor) and a short public id of it. */
    private static Key derive(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] aes = mac.doFinal("braid token key v2".getBytes(StandardCharsets.UTF_8));
            byte[] id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(aes), KEY_ID_BYTES);
            return new Key(id, new SecretKeySpec(aes, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 and SHA-256 are part of every JDK", e);
        }
    }

    /** A cipher from the pool, or a new one; handed back after use, initialized again by its next user. */
    private Cipher cipher() {
        Cipher pooled = ciphers.poll();
        if (pooled != null) {
            return pooled;
        }
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
