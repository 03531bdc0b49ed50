package dev.braid.observe;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Process meters (CPU use, open file descriptors, start time) beside the JVM meters Helidon provides. Bound to
 * Micrometer's global registry, which Helidon's Prometheus endpoint reads; once per JVM however many instances start.
 */
public final class ProcessMeters {
    private static final AtomicBoolean BOUND = new AtomicBoolean();

    private ProcessMeters() {
    }

    public static void bind() {
        if (BOUND.compareAndSet(false, true)) {
            new ProcessorMetrics().bindTo(Metrics.globalRegistry);
            new FileDescriptorMetrics().bindTo(Metrics.globalRegistry);
            new UptimeMetrics().bindTo(Metrics.globalRegistry);
        }
    }
}
