package dev.braid.search;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import dev.braid.catalog.CatalogItem;
import dev.braid.observe.BraidMeters;
import dev.braid.resilience.DownstreamPolicy;

/**
 * What searches and feeds are answered with: the engine behind a guard for searches and one for feeds, the shared points
 * in time of feed walks, the user's affinities, the popular items for the last tier, the cursor codec, the clock and the
 * meters. Both pipelines share one.
 */
public record SearchContext(SearchConfig config, SearchBackend backend, DownstreamPolicy guard,
                            DownstreamPolicy feedGuard, SharedSnapshots snapshots, UserAffinities affinities,
                            Supplier<List<CatalogItem>> popular, CursorCodec cursors, Clock clock, BraidMeters meters) {
}
