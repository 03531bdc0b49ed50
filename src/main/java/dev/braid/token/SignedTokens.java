package dev.braid.token;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque tokens a client hands back: a payload in URL-safe base64 and a 128-bit HMAC-SHA256 tag over it. Nothing in a
 * token is read before its tag checks out, and only the one spelling this class writes is accepted.
 */
public final class SignedTokens {
    /** Tokens longer than this are refused unread. */
    public static final int MAX_LENGTH = 4096;
    private static final int TAG_BYTES = 16;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public SignedTokens(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cursor secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public String seal(byte[] payload) {
        return spell(payload, tag(payload));
    }

    /**
     * The payload {@code token} carries.
     *
     * @throws InvalidCursorException when it is malformed, was changed, or was not issued with this secret
     */
    public byte[] open(String token) {
        if (token.length() > MAX_LENGTH) {
            throw new InvalidCursorException("malformed (longer than " + MAX_LENGTH + " characters)");
        }
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] tag;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, Math.max(0, dot)));
            tag = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidCursorException("malformed");
        }
        // Base64 decoding ignores a last character's unused bits: only the one spelling this service writes is valid.
        if (dot < 0 || !MessageDigest.isEqual(tag, tag(payload)) || !token.equals(spell(payload, tag))) {
            throw new InvalidCursorException("tampered with, or not issued by this service");
        }
        return payload;
    }

    private static String spell(byte[] payload, byte[] tag) {
        return BASE64.encodeToString(payload) + "." + BASE64.encodeToString(tag);
    }

    private byte[] tag(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(payload), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
