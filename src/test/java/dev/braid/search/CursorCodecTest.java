package dev.braid.search;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.braid.token.InvalidCursorException;
import dev.braid.token.SealedTokens;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorCodecTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final byte[] SECRET = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEXT_SECRET = "fedcba9876543210fedcba".getBytes(StandardCharsets.UTF_8);
    private final CursorCodec codec = new CursorCodec(new SealedTokens(List.of(SECRET)), Clock.fixed(NOW, ZoneOffset.UTC));
    private final String binding = Cursor.bind("q=shoes");
    private final Cursor cursor = new Cursor(Cursor.Kind.SEARCH, binding, NOW.plus(Duration.ofHours(1)),
                                             List.of(1.25, 1_700_000_000_000L, "i42", true),
                                             new Affinities(Map.of("shoes", 3.0), Map.of("Acme", 1.5)),
                                             NOW.minusSeconds(5), "pit-id==", Spelling.FORGIVING);

    @Test
    void whatIsEncodedDecodesToTheSameCursor() {
        String token = codec.encode(cursor);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(codec.decode(token, Cursor.Kind.SEARCH, binding)).isEqualTo(cursor);
    }

    @Test
    void aTokenRevealsNothingOfWhatItCarries() {
        String token = codec.encode(cursor);
        String bytes = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("shoes").doesNotContain("Acme").doesNotContain("i42").doesNotContain("pit-id")
                .doesNotContain(binding);
        // Sealed with a fresh nonce: the same cursor never looks the same twice.
        assertThat(codec.encode(cursor)).isNotEqualTo(token);
    }

    @Test
    void aRotatedSecretStillOpensItsTokensWhileListedAndNotAfter() {
        String old = codec.encode(cursor);
        CursorCodec rotated = new CursorCodec(new SealedTokens(List.of(NEXT_SECRET, SECRET)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(rotated.decode(old, Cursor.Kind.SEARCH, binding)).isEqualTo(cursor);
        String sealedWithNew = rotated.encode(cursor);
        assertThatThrownBy(() -> codec.decode(sealedWithNew, Cursor.Kind.SEARCH, binding))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("not issued by this service");
        CursorCodec dropped = new CursorCodec(new SealedTokens(List.of(NEXT_SECRET)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(dropped.decode(sealedWithNew, Cursor.Kind.SEARCH, binding)).isEqualTo(cursor);
        assertThatThrownBy(() -> dropped.decode(old, Cursor.Kind.SEARCH, binding))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("no longer configured");
    }

    @Test
    void aCursorOfTheOldSignedFormatIsFromAnOlderVersion() {
        String v1 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[]{1, 0, 0, 5})
                    + ".AAAAAAAAAAAAAAAAAAAAAA";
        assertThatThrownBy(() -> codec.decode(v1, Cursor.Kind.SEARCH, binding))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("older version");
    }

    @Test
    void everyChangedCharacterIsNoticed() {
        String token = codec.encode(cursor);
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            String changed = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThatThrownBy(() -> codec.decode(changed, Cursor.Kind.SEARCH, binding)).as("position %d", i)
                    .isInstanceOf(InvalidCursorException.class);
        }
    }

    @Test
    void aCursorSignedWithAnotherSecretIsRefused() {
        CursorCodec other = new CursorCodec(new SealedTokens(List.of("another-secret-of-16+".getBytes(StandardCharsets.UTF_8))),
                                            Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> codec.decode(other.encode(cursor), Cursor.Kind.SEARCH, binding))
                .hasMessageContaining("tampered");
    }

    @Test
    void expiredForeignAndRebound() {
        String token = codec.encode(cursor);
        CursorCodec later = new CursorCodec(new SealedTokens(List.of(SECRET)),
                                            Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.decode(token, Cursor.Kind.SEARCH, binding)).hasMessageContaining("expired");
        assertThatThrownBy(() -> codec.decode(token, Cursor.Kind.FEED, binding)).hasMessageContaining("/v1/search");
        assertThatThrownBy(() -> codec.decode(token, Cursor.Kind.SEARCH, Cursor.bind("q=boots")))
                .hasMessageContaining("another query");
    }

    @Test
    void garbageIsMalformedNeverAnotherException() {
        for (String garbage : List.of("", ".", "abc", "abc.", ".abc", "!!!.???", "a".repeat(5000),
                                      Base64.getUrlEncoder().encodeToString(new byte[]{9, 9, 9}) + ".AAAA")) {
            assertThatThrownBy(() -> codec.decode(garbage, Cursor.Kind.SEARCH, binding)).as(garbage)
                    .isInstanceOf(InvalidCursorException.class);
        }
    }
}
