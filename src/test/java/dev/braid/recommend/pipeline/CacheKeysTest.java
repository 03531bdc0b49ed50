package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.experiments.Arm;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SurfacePlan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheKeysTest {
    private static final SurfacePlan PLAN = new SurfacePlan(
            "home", Duration.ofMillis(150), 100,
            List.of(new SurfacePlan.PlannedSource(SourceId.of("trending"), 1.0, true, false),
                    new SurfacePlan.PlannedSource(SourceId.of("personalize"), 1.0, false, true)),
            List.of(), Duration.ofSeconds(30), null);
    private static final Map<SourceId, String> VERSIONS = Map.of(SourceId.of("trending"), "t-1");

    private static RecommendationRequest request(String user, String country, int n) {
        return new RecommendationRequest(user, "home", n, Set.of(), "de", country, null);
    }

    private static String key(RecommendationRequest request, long generation, Map<SourceId, String> versions) {
        return CacheKeys.key(PLAN, request, generation, null, versions);
    }

    @Test
    void twoUsersNeverShareAKeyAndNoUserSharesTheAnonymousOne() {
        String a = key(request("a", "DE", 20), 0, VERSIONS);
        assertThat(a).isNotEqualTo(key(request("b", "DE", 20), 0, VERSIONS))
                .isNotEqualTo(key(request(null, "DE", 20), 0, VERSIONS));
        // A user whose name looks like a segment still gets a user key.
        assertThat(key(request("anon", "DE", 20), 0, VERSIONS)).isNotEqualTo(key(request(null, "DE", 20), 0, VERSIONS));
    }

    @Test
    void aNewGenerationOrModelVersionIsANewKey() {
        String before = key(request("a", null, 20), 3, VERSIONS);
        assertThat(key(request("a", null, 20), 4, VERSIONS)).isNotEqualTo(before);
        assertThat(key(request("a", null, 20), 3, Map.of(SourceId.of("trending"), "t-2"))).isNotEqualTo(before);
        assertThat(key(request("a", null, 20), 3, Map.of(SourceId.of("trending"), "t-1"))).isEqualTo(before);
    }

    @Test
    void anonymousSegmentsDifferByCountryAndLanguage() {
        assertThat(key(request(null, "DE", 20), 0, VERSIONS)).isNotEqualTo(key(request(null, "FR", 20), 0, VERSIONS));
    }

    @Test
    void eachExperimentArmHasItsOwnListAndPageSizesShareOne() {
        String none = key(request("a", null, 20), 3, VERSIONS);
        String control = CacheKeys.key(PLAN, request("a", null, 20), 3, new Arm("blend-v2", "control"), VERSIONS);
        String treatment = CacheKeys.key(PLAN, request("a", null, 20), 3, new Arm("blend-v2", "treatment"), VERSIONS);
        assertThat(Set.of(none, control, treatment)).hasSize(3);
        assertThat(key(request("a", null, 5), 3, VERSIONS)).isEqualTo(none);
    }

    @Test
    void cursorsAreBoundToTheUserOrSegmentAndTheSurface() {
        assertThat(CacheKeys.binding(request("a", "DE", 20))).isEqualTo("home|user:a");
        assertThat(CacheKeys.binding(request(null, "DE", 20))).isEqualTo("home|anon|DE|de");
    }
}
