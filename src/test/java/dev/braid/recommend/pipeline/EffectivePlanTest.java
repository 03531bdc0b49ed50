package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.experiments.Assignment;
import dev.braid.experiments.VariantParams;
import dev.braid.recommend.BlendSettings;
import dev.braid.recommend.Normalization;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SurfacePlan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EffectivePlanTest {
    private static final SourceId TRENDING = SourceId.of("trending");
    private static final SourceId DATABRICKS = SourceId.of("databricks");
    private static final SurfacePlan PLAN = new SurfacePlan(
            "home", Duration.ofMillis(150), 100,
            List.of(new SurfacePlan.PlannedSource(TRENDING, 1.0, true, false),
                    new SurfacePlan.PlannedSource(DATABRICKS, 2.0, false, true)),
            List.of(), Duration.ofSeconds(30), null,
            new BlendSettings(Normalization.of("min-max", 60), 0.2, 0.7, 3, 10, 100), 0.5);

    private static Assignment variant(VariantParams params) {
        return new Assignment("blend-v2", "treatment", params);
    }

    @Test
    void outsideAnExperimentThePlanRunsAsConfigured() {
        EffectivePlan plan = EffectivePlan.of(PLAN, null);
        assertThat(plan.sources()).isEqualTo(PLAN.sources());
        assertThat(plan.blend()).isEqualTo(PLAN.blend());
        assertThat(plan.switchedOff()).isEmpty();
        assertThat(plan.models()).isEmpty();
    }

    @Test
    void aVariantChangesOnlyWhatItNames() {
        EffectivePlan plan = EffectivePlan.of(PLAN, variant(new VariantParams(
                "z-score", null, 0.4, Map.of("trending", 0.25), Map.of("databricks", false),
                Map.of("databricks", "recs-v2"))));
        assertThat(plan.sources()).extracting(SurfacePlan.PlannedSource::weight).containsExactly(0.25, 2.0);
        assertThat(plan.sources()).extracting(SurfacePlan.PlannedSource::required).containsExactly(true, false);
        assertThat(plan.switchedOff()).containsExactly(DATABRICKS);
        assertThat(plan.models()).containsExactly(Map.entry(DATABRICKS, "recs-v2"));
        assertThat(plan.blend().normalization().method()).isEqualTo(Normalization.Method.Z_SCORE);
        assertThat(plan.blend().mmrLambda()).isEqualTo(0.4);
        assertThat(plan.blend().categoryCap()).isEqualTo(3);
        assertThat(plan.assignment().arm().variant()).isEqualTo("treatment");
    }

    @Test
    void anRrfKAloneTunesTheFusionTheVariantChose() {
        EffectivePlan plan = EffectivePlan.of(PLAN, variant(new VariantParams(
                "rrf", 20, null, Map.of(), Map.of(), Map.of())));
        assertThat(plan.blend().normalization()).isEqualTo(new Normalization(Normalization.Method.RRF, 20));
        assertThat(plan.blend().mmrLambda()).isEqualTo(0.7);
    }
}
