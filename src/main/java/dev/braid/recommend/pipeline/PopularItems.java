package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.observe.Periodically;
import dev.braid.recommend.PopularItemsConfig;
import dev.braid.recommend.SourceId;
import dev.braid.resilience.Deadline;

/**
 * The catalog's most popular in-stock items, kept in memory and refreshed in the background, so that requests without
 * any personal signal never wait for the catalog. A failed refresh keeps the previous list.
 */
public final class PopularItems implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PopularItems.class.getName());
    /** The name popular items go by in a list's {@code sources}; no configured source may take it. */
    public static final SourceId SOURCE = SourceId.of("popular");

    private final Catalog catalog;
    private final PopularItemsConfig config;
    private final Periodically refresher;
    private volatile Snapshot current = new Snapshot(List.of());

    public PopularItems(Catalog catalog, PopularItemsConfig config) {
        this(catalog, config, Thread::sleep);
    }

    PopularItems(Catalog catalog, PopularItemsConfig config, Periodically.Pause pause) {
        this.catalog = catalog;
        this.config = config;
        this.refresher = new Periodically("popular-items", this::refreshNow, pause);
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

    /** Loads the list now; returns whether it succeeded (on failure the previous list stays and the failure is logged). */
    public boolean refreshNow() {
        try {
            current = new Snapshot(catalog.popular(config.size(), Deadline.after(config.timeout())));
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "popular items not refreshed, keeping the previous " + current.ids().size() + ": " + e);
            return false;
        }
    }

    /** Refreshes now and then every {@code every}, on one virtual thread, until {@link #close()}. */
    public void start(Duration every) {
        refresher.start(every);
    }

    @Override
    public void close() {
        refresher.close();
    }
}
