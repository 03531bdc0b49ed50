package dev.braid.recommend.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.braid.search.Affinities;
import dev.braid.search.Cursor;
import dev.braid.search.CursorCodec;
import dev.braid.search.Spelling;
import dev.braid.token.InvalidCursorException;
import dev.braid.token.SealedTokens;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListCursorCodecTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final SealedTokens TOKENS = new SealedTokens(List.of("0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
    private final ListCursorCodec codec = new ListCursorCodec(TOKENS, Clock.fixed(NOW, ZoneOffset.UTC),
                                                              Duration.ofMinutes(10));

    @Test
    void aCursorReadsBackForItsBinding() {
        String token = codec.encode("home|user:u1", "v42", 20);
        ListCursor cursor = codec.decode(token, "home|user:u1");
        assertThat(cursor).isEqualTo(new ListCursor("home|user:u1", "v42", 20, NOW.plus(Duration.ofMinutes(10))));
    }

    @Test
    void anotherUserOrSurfaceIsRefused() {
        String token = codec.encode("home|user:u1", "v42", 20);
        assertThatThrownBy(() -> codec.decode(token, "home|user:u2")).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("another user");
        assertThatThrownBy(() -> codec.decode(token, "pdp|user:u1")).isInstanceOf(InvalidCursorException.class);
    }

    @Test
    void anExpiredCursorIsRefused() {
        String token = codec.encode("home|anon", "v1", 10);
        ListCursorCodec later = new ListCursorCodec(TOKENS, Clock.fixed(NOW.plus(Duration.ofMinutes(11)), ZoneOffset.UTC),
                                                    Duration.ofMinutes(10));
        assertThatThrownBy(() -> later.decode(token, "home|anon")).hasMessageContaining("expired");
    }

    @Test
    void everySingleCharacterChangeIsRefused() {
        String token = codec.encode("home|user:u1", "v42", 20);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < token.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String changed = token.substring(0, i) + c + token.substring(i + 1);
                assertThatThrownBy(() -> codec.decode(changed, "home|user:u1"))
                        .as("token changed at %d to %s", i, c).isInstanceOf(InvalidCursorException.class);
            }
        }
    }

    @Test
    void aSearchOrFeedCursorIsRefusedWithWhereItCameFrom() {
        CursorCodec search = new CursorCodec(TOKENS, Clock.fixed(NOW, ZoneOffset.UTC));
        String feed = search.encode(new Cursor(Cursor.Kind.FEED, "b", NOW.plusSeconds(60), List.of("x"),
                                               Affinities.none(), NOW, "pit", Spelling.EXACT));
        assertThatThrownBy(() -> codec.decode(feed, "home|anon")).hasMessageContaining("/v1/feed");
    }

    @Test
    void searchRefusesARecommendationCursorWithWhereItCameFrom() {
        CursorCodec search = new CursorCodec(TOKENS, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> search.decode(codec.encode("home|anon", "v1", 10), Cursor.Kind.SEARCH, "b"))
                .hasMessageContaining("/v1/recommendations");
    }
}
