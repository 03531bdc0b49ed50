package dev.braid.observe;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The collector's meters under Micrometer's names ({@code jvm_gc_pause_seconds{gc,action,cause}},
 * {@code jvm_gc_concurrent_phase_time_seconds}, {@code jvm_gc_memory_allocated_bytes_total}), created through Helidon's
 * registry like every other meter of Braid.
 *
 * <p>Why not Micrometer's {@code JvmGcMetrics}: it creates a timer the first time a collection of a new kind is
 * notified, on the JVM's notification thread, through Micrometer's registry: that takes Micrometer's lock and then
 * Helidon's (which mirrors every new meter), while a meter created through Helidon takes Helidon's lock and then
 * Micrometer's. A collection of a new kind during start-up deadlocked the two (seen in CI and under {@code bin/dev}).
 * Here every meter is created in the one order Braid uses everywhere.
 */
final class GcMeters {
    private static final String PAUSE = "jvm.gc.pause";
    private static final String CONCURRENT = "jvm.gc.concurrent.phase.time";
    private static final String ALLOCATED = "jvm.gc.memory.allocated";

    private final MeterRegistry registry;
    private final Counter allocated;
    /** Young generation in use after the last collection: what it grew by since is what was allocated. */
    private final AtomicLong youngAfterLast = new AtomicLong();

    private GcMeters(MeterRegistry registry) {
        this.registry = registry;
        this.allocated = registry.getOrCreate(Counter.builder(ALLOCATED).baseUnit("bytes").description(
                "Size of the young generation allocated between one collection and the next"));
    }

    /** Listens to every collector of this JVM from now on. */
    static void bind(MeterRegistry registry) {
        GcMeters meters = new GcMeters(registry);
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> meters.collected(notification), null, null);
            }
        }
    }

    private void collected(Notification notification) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        String gc = info.getGcName();
        String cause = info.getGcCause();
        Duration took = Duration.ofMillis(info.getGcInfo().getDuration());
        boolean concurrent = "No GC".equals(cause) || gc.endsWith("Cycles") || gc.endsWith("Concurrent GC");
        timer(concurrent ? CONCURRENT : PAUSE, gc, info.getGcAction(), cause).record(took);

        long before = young(info.getGcInfo().getMemoryUsageBeforeGc());
        long after = young(info.getGcInfo().getMemoryUsageAfterGc());
        long grown = before - youngAfterLast.getAndSet(after);
        if (grown > 0) {
            allocated.increment(grown);
        }
    }

    private Timer timer(String name, String gc, String action, String cause) {
        return registry.getOrCreate(Timer.builder(name)
                                            .tags(List.of(Tag.create("gc", gc), Tag.create("action", action),
                                                          Tag.create("cause", cause)))
                                            .description(name.equals(PAUSE) ? "Time spent in GC pauses"
                                                                            : "Time spent in concurrent GC phases")
                                            .percentiles(new double[0]));
    }

    /** Bytes in the young generation's pools (G1's and Parallel's eden, generational ZGC's young generation). */
    private static long young(Map<String, MemoryUsage> pools) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
            if (pool.getKey().endsWith("Eden Space") || pool.getKey().equals("ZGC Young Generation")) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }
}
