package dev.braid.recommend.pipeline;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.jobs.JobResults;
import dev.braid.jobs.SingletonJob;
import dev.braid.observe.Periodically;
import dev.braid.observe.ThrottledLog;
import dev.braid.recommend.PopularItemsConfig;
import dev.braid.recommend.SourceId;
import dev.braid.resilience.Deadline;

/**
 * The catalog's most popular in-stock items, kept in memory and refreshed in the background, so that requests without
 * any personal signal never wait for the catalog.
 *
 * <p>The catalog is asked by one replica at a time: the holder of the singleton job {@link #job(String)} loads the
 * list ({@link #publish}) and publishes it under its fencing token; every other replica reads the published list each
 * {@code refresh}. A replica loads the list from the catalog itself only when there is nothing fresh to read (the
 * fleet just started, the shared store is unreachable, the holder has not published for three periods). A failed
 * refresh keeps the previous list.
 */
public final class PopularItems implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PopularItems.class.getName());
    /** The name popular items go by in a list's {@code sources}; no configured source may take it. */
    public static final SourceId SOURCE = SourceId.of("popular");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<CatalogItem>> ITEMS = new TypeReference<>() {
    };
    /** A published list older than this many refresh periods is its holder's silence, not news. */
    private static final int FRESH_PERIODS = 3;
    /** A published list is kept this many refresh periods: long past the point where nobody reads it. */
    private static final int KEEP_PERIODS = 10;

    private final Catalog catalog;
    private final PopularItemsConfig config;
    private final JobResults shared;
    private final String job;
    private final Clock clock;
    private final Periodically refresher;
    private final ThrottledLog unreadable = new ThrottledLog(LOG, Duration.ofSeconds(60), System::nanoTime);
    private volatile Snapshot current = new Snapshot(List.of());
    private volatile BooleanSupplier holding = () -> false;

    /** This replica alone: every refresh asks the catalog. */
    public PopularItems(Catalog catalog, PopularItemsConfig config) {
        this(catalog, config, null, job("catalog"), Clock.systemUTC(), Thread::sleep);
    }

    /**
     * @param shared where the job's holder publishes the list and the others read it; {@code null}: this replica alone
     * @param job    the singleton job's name ({@link #job(String)})
     */
    public PopularItems(Catalog catalog, PopularItemsConfig config, JobResults shared, String job) {
        this(catalog, config, shared, job, Clock.systemUTC(), Thread::sleep);
    }

    PopularItems(Catalog catalog, PopularItemsConfig config, JobResults shared, String job, Clock clock,
                 Periodically.Pause pause) {
        this.catalog = catalog;
        this.config = config;
        this.shared = shared;
        this.job = job;
        this.clock = clock;
        this.refresher = new Periodically("popular-items", this::refreshNow, pause);
    }

    /** The job's name for a catalog: deployments that share a Redis but read other catalogs never share the job. */
    public static String job(String catalogIndex) {
        return "popular-items@" + catalogIndex;
    }

    /** One loaded list, and its ids for callers that need only those (every request that falls back to it). */
    private record Snapshot(List<CatalogItem> items, List<String> ids) {
        Snapshot(List<CatalogItem> items) {
            this(List.copyOf(items), items.stream().map(CatalogItem::itemId).toList());
        }
    }

    /** The ids of the latest list, most popular first; empty until the first refresh succeeded. */
    public List<String> current() {
        return current.ids();
    }

    /** The latest list with what the API renders of each item, most popular first. */
    public List<CatalogItem> items() {
        return current.items();
    }

    /**
     * The singleton job's work, on the lease holder: loads the list from the catalog and publishes it under the run's
     * fencing token. A refused publication (a newer holder has published) adopts the newer list.
     */
    public SingletonJob.Result publish(SingletonJob.Run run) {
        List<CatalogItem> items;
        try {
            items = catalog.popular(config.size(), Deadline.after(config.timeout()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "popular items not refreshed, keeping the previous " + current.ids().size() + ": " + e);
            return SingletonJob.Result.FAILED;
        }
        run.checkpoint();
        if (shared == null) {
            current = new Snapshot(items);
            return SingletonJob.Result.DONE;
        }
        try {
            if (!shared.publish(job, run.fence(), JSON.writeValueAsString(items),
                                config.refresh().multipliedBy(KEEP_PERIODS))) {
                readShared();
                return SingletonJob.Result.FENCED;
            }
        } catch (IOException | RuntimeException e) {
            // Not published: this replica still serves what it loaded; the others load for themselves once it is stale.
            unreadable.warn("popular items not published: " + e, null);
            current = new Snapshot(items);
            return SingletonJob.Result.FAILED;
        }
        current = new Snapshot(items);
        return SingletonJob.Result.DONE;
    }

    /**
     * Every replica, every refresh: nothing when this replica holds the job (its runs keep the list); else the
     * published list when it is fresh, and otherwise a list loaded from the catalog here. Returns whether the list is
     * current (on failure the previous list stays and the failure is logged).
     */
    public boolean refreshNow() {
        if (holding.getAsBoolean()) {
            return true;
        }
        if (shared != null && readShared()) {
            return true;
        }
        try {
            current = new Snapshot(catalog.popular(config.size(), Deadline.after(config.timeout())));
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "popular items not refreshed, keeping the previous " + current.ids().size() + ": " + e);
            return false;
        }
    }

    /** Takes the published list when there is a fresh one; whether it did. */
    private boolean readShared() {
        try {
            Optional<JobResults.Published> latest = shared.latest(job);
            if (latest.isEmpty() || latest.get().at().isBefore(clock.instant().minus(
                    config.refresh().multipliedBy(FRESH_PERIODS)))) {
                return false;
            }
            current = new Snapshot(JSON.readValue(latest.get().value(), ITEMS));
            return true;
        } catch (IOException | RuntimeException e) {
            unreadable.warn("the published popular items cannot be read, loading them here: " + e, null);
            return false;
        }
    }

    /**
     * Refreshes now and then every {@code every}, on one virtual thread, until {@link #close()}; {@code holding} says
     * when this replica holds the job, whose runs then keep the list.
     */
    public void start(Duration every, BooleanSupplier holding) {
        this.holding = holding;
        refresher.start(every);
    }

    /** This replica alone: refreshes from the catalog every {@code every}. */
    public void start(Duration every) {
        start(every, () -> false);
    }

    @Override
    public void close() {
        refresher.close();
    }
}
