package dev.braid.experiments;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationIdsTest {
    private final RecommendationIds ids = new RecommendationIds();

    @Test
    void anIdCarriesItsAssignmentsArm() {
        String id = ids.next(Optional.of(new Assignment("blend-v2", "treatment", VariantParams.none())));

        assertThat(id).matches("[0-9a-f]{32}\\.blend-v2\\.treatment");
        assertThat(RecommendationIds.parse(id)).contains(new Arm("blend-v2", "treatment"));
    }

    @Test
    void anIdWithoutAssignmentIs128RandomBitsAndNamesNoArm() {
        String id = ids.next(Optional.empty());

        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(RecommendationIds.parse(id)).isEmpty();
    }

    @Test
    void theBitsComeFromTheGivenGenerator() {
        // SplittableRandom(1)'s bytes are fixed: the same seed gives the same id, another seed another.
        assertThat(new RecommendationIds(new SplittableRandom(1)).next(Optional.empty()))
                .isEqualTo(new RecommendationIds(new SplittableRandom(1)).next(Optional.empty()))
                .isNotEqualTo(new RecommendationIds(new SplittableRandom(2)).next(Optional.empty()));
    }

    @Test
    void idsAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(ids.next(Optional.empty()))).isTrue();
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "0123456789abcdef0123456789abcdef.blend-v2", "0123456789ABCDEF0123456789abcdef.e.v",
                            "0123456789abcdef0123456789abcde.e.v", "0123456789abcdef0123456789abcdef.e.v.w",
                            "0123456789abcdef0123456789abcdef.e_x.v", "0123456789abcdef0123456789abcdef..v",
                            "0123456789abcdef0123456789abcdef.e.V", "0123456789abcdef0123456789abcdef.e.v\n",
                            "0123456789abcdef0123456789abcdef.e.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void forgedOrMalformedIdsNameNoArm(String id) {
        assertThat(RecommendationIds.parse(id)).isEmpty();
    }

    @Test
    void aWellFormedIdNamesItsArmWhetherOrNotItExists() {
        // Parsing is syntax only: whether the arm exists is the Assigner's call (ConversionCounterTest).
        assertThat(RecommendationIds.parse("0123456789abcdef0123456789abcdef.no-such.arm"))
                .contains(new Arm("no-such", "arm"));
    }
}
