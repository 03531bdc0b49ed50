package dev.braid.observe;

import java.util.ArrayList;
import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector's meters, from a real collection of this JVM: timed under its cause, and what was allocated before it
 * counted. (Their notifications arrive on the JVM's own thread, a moment after the collection: hence the bounded polls.)
 */
class GcMetersTest {
    private static final MeterRegistry REGISTRY = Metrics.globalRegistry();

    @Test
    void anExplicitCollectionIsTimedUnderItsCauseAndTheAllocationBeforeItCounted() throws InterruptedException {
        ProcessMeters.bind();
        long pausesBefore = systemGcPauses();
        double allocatedBefore = allocated();

        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            garbage.add(new byte[256 * 1024]);
        }
        assertThat(garbage).hasSize(64);
        garbage = null;
        System.gc();

        for (int poll = 0; poll < 250 && systemGcPauses() == pausesBefore; poll++) {
            Thread.sleep(20);
        }
        assertThat(systemGcPauses()).isGreaterThan(pausesBefore);
        // At least the 16 MiB made above went through the young generation (large arrays may go straight to the old
        // one under G1, so this asks only that something was counted).
        assertThat(allocated()).isGreaterThan(allocatedBefore);
    }

    private static long systemGcPauses() {
        return REGISTRY.meters(meter -> meter.id().name().equals("jvm.gc.pause")
                                        && "System.gc()".equals(meter.id().tagsMap().get("cause")))
                .stream().mapToLong(meter -> ((Timer) meter).count()).sum();
    }

    private static double allocated() {
        return REGISTRY.meters(meter -> meter.id().name().equals("jvm.gc.memory.allocated")).stream()
                .map(Meter.class::cast).mapToDouble(meter -> ((Counter) meter).count()).sum();
    }
}
