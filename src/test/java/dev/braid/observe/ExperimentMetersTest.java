package dev.braid.observe;

import java.util.List;

import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExperimentMetersTest {
    private final BraidMeters meters = new BraidMeters(Metrics.globalRegistry());

    @Test
    void diversityIsRecordedPerSurfaceClampedToZeroToOne() {
        meters.register(List.of(), List.of("diversity-test"));
        DistributionSummary summary = Metrics.globalRegistry()
                .summary(BraidMeters.DIVERSITY, List.of(Tag.create("surface", "diversity-test"))).orElseThrow();
        assertThat(summary.count()).isZero();

        meters.diversity("diversity-test", 0.35);
        meters.diversity("diversity-test", 1.7);       // clamped to 1
        meters.diversity("diversity-test", -0.2);      // clamped to 0
        meters.diversity("diversity-test", Double.NaN); // 0: an empty or one-item list has no diversity

        assertThat(summary.count()).isEqualTo(4);
        // 0.35 + 1 + 0 + 0
        assertThat(summary.totalAmount()).isCloseTo(1.35, within(1e-9));
    }

    @Test
    void exposureResultsExistAtZeroOnceRegistered() {
        meters.registerExposures();

        for (String result : BraidMeters.EXPOSURE_RESULTS) {
            assertThat(Metrics.globalRegistry().counter(BraidMeters.EXPOSURES, List.of(Tag.create("result", result))))
                    .isPresent();
        }
    }
}
