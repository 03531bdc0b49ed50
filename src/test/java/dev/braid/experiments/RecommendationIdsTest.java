package dev.braid.experiments;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import dev.braid.token.SealedTokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationIdsTest {
    private static final SealedTokens TOKENS = new SealedTokens(List.of(
            "recommendation-ids-secret-0".getBytes(StandardCharsets.UTF_8)));
    private static final Assignment TREATMENT = new Assignment("blend-v2", "treatment", VariantParams.none());
    private final RecommendationIds ids = new RecommendationIds(TOKENS);

    @Test
    void anIdCarriesItsArmAndTheItemsItsAnswerShowed() {
        String id = ids.next(Optional.of(TREATMENT), "u1", List.of("i1", "i42", "sku-9"));

        RecommendationIds.Issued issued = ids.read(id).orElseThrow();
        assertThat(issued.arm()).contains(new Arm("blend-v2", "treatment"));
        assertThat(issued.servedTo("u1")).isTrue();
        assertThat(issued.servedTo("u2")).isFalse();
        assertThat(issued.servedTo(null)).isFalse();
        assertThat(issued.showed("i42")).isTrue();
        assertThat(issued.showed("sku-9")).isTrue();
        assertThat(issued.showed("i43")).isFalse();
    }

    @Test
    void anIdRevealsNothingAndIsNeverTheSameTwice() {
        String id = ids.next(Optional.of(TREATMENT), "u1", List.of("i1"));
        assertThat(id).matches("[A-Za-z0-9_-]+");
        assertThat(new String(Base64.getUrlDecoder().decode(id), StandardCharsets.ISO_8859_1))
                .doesNotContain("blend-v2").doesNotContain("treatment");
        assertThat(ids.next(Optional.of(TREATMENT), "u1", List.of("i1"))).isNotEqualTo(id);
    }

    @Test
    void anIdWithoutAssignmentNamesNoArmAndIsShort() {
        String id = ids.next(Optional.empty(), "u1", List.of("i1", "i2"));

        assertThat(ids.read(id).orElseThrow().arm()).isEmpty();
        assertThat(id.length()).isLessThan(64);
    }

    @Test
    void aPageOfAHundredItemsStaysWithinWhatEventsAccept() {
        List<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add("item-" + i);
        }
        String id = ids.next(Optional.of(TREATMENT), "u1", items);
        assertThat(id.length()).isLessThanOrEqualTo(dev.braid.events.EventValidator.MAX_RECOMMENDATION_ID);
        assertThat(ids.read(id).orElseThrow().showed("item-99")).isTrue();
    }

    @Test
    void theBitsComeFromTheGivenGenerator() {
        // Sealed with fresh nonces, ids differ anyway; what the generator decides is that two differ in content too.
        String one = new RecommendationIds(TOKENS, new SplittableRandom(1)).next(Optional.empty(), null, List.of());
        String two = new RecommendationIds(TOKENS, new SplittableRandom(1)).next(Optional.empty(), null, List.of());
        assertThat(ids.read(one)).isPresent();
        assertThat(ids.read(two)).isPresent();
    }

    @Test
    void idsAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(seen.add(ids.next(Optional.empty(), "u1", List.of()))).isTrue();
        }
    }

    @Test
    void anIdOfAnotherSecretOrChangedByOneCharacterIsNotOurs() {
        String id = ids.next(Optional.of(TREATMENT), "u1", List.of("i1"));
        RecommendationIds other = new RecommendationIds(new SealedTokens(List.of(
                "another-secret-entirely-0".getBytes(StandardCharsets.UTF_8))));
        assertThat(other.read(id)).isEmpty();
        for (int i = 0; i < id.length(); i++) {
            String changed = id.substring(0, i) + (id.charAt(i) == 'A' ? 'B' : 'A') + id.substring(i + 1);
            assertThat(ids.read(changed)).as("changed at %d", i).isEmpty();
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "0123456789abcdef0123456789abcdef.blend-v2.treatment", "....",
                            "0123456789abcdef0123456789abcdef", "\n"})
    void forgedOrMalformedIdsAreNotOurs(String id) {
        assertThat(ids.read(id)).isEmpty();
        assertThat(ids.read("a".repeat(5000))).isEmpty();
    }

    @Test
    void fingerprintsAreSpreadAcrossSixteenBits() {
        Set<Short> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(RecommendationIds.fingerprint("i" + i));
        }
        // Nearly all distinct: a uniform 16-bit hash collides about 7% of 10,000 draws.
        assertThat(seen.size()).isGreaterThan(9_000);
    }
}
