package dev.braid.experiments;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.Periodically;
import dev.braid.observe.ThrottledLog;

/**
 * Keeps {@code braid.catalog.coverage{surface}} current: the distinct items each surface served today (UTC), read from the
 * {@link Coverage} store in the background every {@link #EVERY}, never when scraped, so a slow store does not slow the
 * scrape. A failed read keeps the last value. The count starts again from zero at midnight UTC, as the day's key does.
 */
public final class CoverageGauge implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(CoverageGauge.class.getName());

    private final Coverage coverage;
    private final Clock clock;
    private final Map<String, AtomicLong> values = new LinkedHashMap<>();
    private final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofMinutes(5), System::nanoTime);
    private final Periodically refresher;

    /** Registers one gauge per surface, at 0 until the first read. */
    public CoverageGauge(Coverage coverage, Collection<String> surfaces, Clock clock, BraidMeters meters) {
        this.coverage = coverage;
        this.clock = clock;
        this.refresher = new Periodically("catalog-coverage", this::refresh, Thread::sleep);
        for (String surface : surfaces) {
            AtomicLong value = new AtomicLong();
            values.put(surface, value);
            meters.catalogCoverage(surface, value::get);
        }
    }

    /** Reads every surface's coverage now; a surface whose read fails keeps its last value. */
    public void refresh() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        values.forEach((surface, value) -> {
            try {
                value.set(coverage.coverage(surface, today));
            } catch (RuntimeException e) {
                failures.warn("catalog coverage of " + surface + " not read, keeping " + value.get() + ": " + e, null);
            }
        });
    }

    /** The value the gauge of {@code surface} reports. */
    public long value(String surface) {
        AtomicLong value = values.get(surface);
        return value == null ? 0 : value.get();
    }

    /** Refreshes now and then every {@link #EVERY}, on one virtual thread, until {@link #close()}. */
    public void start() {
        refresher.start(EVERY);
    }

    @Override
    public void close() {
        refresher.close();
    }
}
