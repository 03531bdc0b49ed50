package dev.braid.recommend.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.catalog.Catalog;
import dev.braid.catalog.CatalogItem;
import dev.braid.catalog.CatalogUnavailableException;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.Spans;
import dev.braid.observe.TraceSpan;
import dev.braid.recommend.RankedItem;
import dev.braid.resilience.Deadline;

/**
 * Adds catalog metadata to the final page in one lookup. Items the catalog does not know are dropped (nothing to show
 * for them); when the catalog cannot answer, the page goes out without metadata rather than not at all.
 */
public final class Hydrator {
    private static final Logger LOG = Logger.getLogger(Hydrator.class.getName());

    private final Catalog catalog;
    private final BraidMeters meters;

    public Hydrator(Catalog catalog, BraidMeters meters) {
        this.catalog = catalog;
        this.meters = meters;
    }

    /**
     * The catalog items among {@code ids}, in one lookup; empty when the catalog cannot answer (then nothing is known
     * to be missing).
     */
    public Optional<Map<String, CatalogItem>> details(Collection<String> ids, Deadline deadline) {
        if (ids.isEmpty()) {
            return Optional.of(Map.of());
        }
        // Its children: the shared cache tier's reads (Redis) and, for what that missed, the catalog's (OpenSearch).
        TraceSpan span = Spans.internal("catalog lookup").set("braid.items", ids.size());
        try {
            Map<String, CatalogItem> found = span.recording() ? span.run(() -> catalog.items(ids, deadline))
                                                              : catalog.items(ids, deadline);
            meters.hydration(found.size() == ids.size() ? "ok" : "dropped_unknown");
            span.set("braid.found", found.size());
            return Optional.of(found);
        } catch (CatalogUnavailableException e) {
            meters.hydration("unavailable");
            span.failed(e);
            LOG.log(Level.FINE, () -> "going on without item metadata: " + e.getMessage());
            return Optional.empty();
        } finally {
            span.end();
        }
    }

    /** The items the catalog knows, with their metadata; all of them as they are when the catalog cannot answer. */
    public List<RankedItem> hydrate(List<RankedItem> items, Deadline deadline) {
        Optional<Map<String, CatalogItem>> found = details(items.stream().map(RankedItem::itemId).toList(), deadline);
        if (found.isEmpty()) {
            return items;
        }
        List<RankedItem> hydrated = new ArrayList<>(items.size());
        for (RankedItem item : items) {
            CatalogItem details = found.get().get(item.itemId());
            if (details != null) {
                hydrated.add(item.withDetails(details));
            }
        }
        return hydrated;
    }
}
