package dev.braid.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's meters under the names community dashboards and alerts query ({@code jvm_memory_used_bytes},
 * {@code jvm_gc_pause_seconds}, {@code jvm_threads_live_threads}, {@code process_cpu_usage}, {@code process_files_open_files},
 * ...): Micrometer's binders, bound to Micrometer's global registry, which Helidon's Prometheus endpoint reads. Once per
 * JVM however many instances start. (Helidon's own system meters, under MicroProfile names such as
 * {@code memory_usedHeap_bytes}, are not on the class path: the same facts twice under two names would only double the
 * series.)
 */
public final class ProcessMeters {

    private ProcessMeters() {
    }

    /**
     * Binds them once per JVM; a thread that calls this while another binds waits until it is done. Every
     * {@link BraidMeters} calls it before it creates a meter: the binders create theirs through Micrometer (its lock, then
     * Helidon's), everything else through Helidon (its lock, then Micrometer's), so the two must never overlap.
     */
    public static void bind() {
        Bound.ONCE.run();
    }

    /** Bound when the class is initialised, which the JVM does once and makes other threads wait for. */
    private static final class Bound {
        static final Runnable ONCE = () -> {
        };

        static {
            // Helidon's registry first: made after these meters, it would not mirror them.
            io.helidon.metrics.api.MeterRegistry helidon = io.helidon.metrics.api.Metrics.globalRegistry();
            MeterRegistry registry = Metrics.globalRegistry;
            new JvmMemoryMetrics().bindTo(registry);
            new JvmHeapPressureMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new JvmCompilationMetrics().bindTo(registry);
            new JvmInfoMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            // Not Micrometer's JvmGcMetrics, which creates meters on the JVM's notification thread in an order that can
            // deadlock with Helidon's (see GcMeters); its listeners live as long as the JVM: bound once, never removed.
            GcMeters.bind(helidon);
        }
    }
}
