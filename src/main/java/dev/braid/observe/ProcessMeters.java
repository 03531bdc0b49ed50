package dev.braid.observe;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
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
    private static final AtomicBoolean BOUND = new AtomicBoolean();

    private ProcessMeters() {
    }

    public static void bind() {
        if (BOUND.compareAndSet(false, true)) {
            MeterRegistry registry = Metrics.globalRegistry;
            new JvmMemoryMetrics().bindTo(registry);
            new JvmHeapPressureMetrics().bindTo(registry);
            // Its GC notification listeners live as long as the JVM: bound once, never closed.
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new JvmCompilationMetrics().bindTo(registry);
            new JvmInfoMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
    }
}
