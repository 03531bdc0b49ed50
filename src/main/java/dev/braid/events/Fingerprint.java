package dev.braid.events;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The fingerprint stored with an idempotency key: SHA-256 of the body's canonical JSON (object members sorted by name,
 * no insignificant whitespace), so that a retry re-serialized by another client library is still the same request,
 * and any change of a value is another.
 */
public final class Fingerprint {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Fingerprint() {
    }

    /** @param json the body as plain JSON values (maps, lists, strings, numbers, booleans, {@code null}) */
    public static String of(Object json) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(json);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not plain JSON values: " + e.getOriginalMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
