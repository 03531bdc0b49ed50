package dev.braid.experiments;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.braid.observe.BraidMeters;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoverageGaugeTest {

    @Test
    void readsEachSurfacesCoverageOfTheDayInUtcAndKeepsTheLastValueWhenAReadFails() {
        Map<String, Long> counts = new ConcurrentHashMap<>(Map.of("cov-home", 120L, "cov-pdp", 7L));
        LocalDate[] asked = new LocalDate[1];
        Coverage store = (surface, day) -> {
            asked[0] = day;
            Long count = counts.get(surface);
            if (count == null) {
                throw new IllegalStateException("Redis is down");
            }
            return count;
        };
        // 23:30 in New York is already the next day in UTC.
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T04:30:00Z"), ZoneOffset.ofHours(-5));
        CoverageGauge gauge = new CoverageGauge(store, List.of("cov-home", "cov-pdp"), clock,
                                                new BraidMeters(Metrics.globalRegistry()));
        assertThat(gaugeValue("cov-home")).isZero();

        gauge.refresh();
        assertThat(asked[0]).isEqualTo(LocalDate.parse("2026-11-25"));
        assertThat(gauge.value("cov-home")).isEqualTo(120);
        assertThat(gaugeValue("cov-home")).isEqualTo(120);
        assertThat(gaugeValue("cov-pdp")).isEqualTo(7);

        counts.remove("cov-home");
        counts.put("cov-pdp", 9L);
        gauge.refresh();
        assertThat(gaugeValue("cov-home")).isEqualTo(120);
        assertThat(gaugeValue("cov-pdp")).isEqualTo(9);
        gauge.close();
    }

    private static double gaugeValue(String surface) {
        return Metrics.globalRegistry().gauge(BraidMeters.CATALOG_COVERAGE, List.of(Tag.create("surface", surface)))
                .map(gauge -> ((Gauge<?>) gauge).value().doubleValue()).orElseThrow();
    }
}
