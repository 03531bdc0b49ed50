package dev.braid.search;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

import dev.braid.observe.RequestContext;
import dev.braid.observe.SearchEvent;
import dev.braid.observe.ThrottledLog;
import dev.braid.resilience.Deadline;
import dev.braid.token.InvalidCursorException;

/**
 * An infinite feed that never repeats or skips an item while the walk lasts, even while items are indexed.
 *
 * <p>The first page decides how the walk reads. Ranked (tier 1): newest and the user's affinities combined, read
 * from a point in time shared with the other walks that started lately ({@link SharedSnapshots}) and kept alive page by
 * page; the ranking's clock (the feed's origin) and boosts travel in the cursor, so every page ranks alike. Newest first (tier 2, when the ranked
 * walk cannot start): sorted by publish time and item id and limited to items published before the origin, which is
 * stable without a point in time. Without the engine (tier 3) a first page is the popular items and ends there; a
 * later page is empty and hands the same cursor back, so the walk resumes where it was.
 */
public final class FeedPipeline {
    private static final Logger LOG = Logger.getLogger(FeedPipeline.class.getName());

    private final SearchContext context;
    private final SearchConfig config;
    private final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);

    public FeedPipeline(SearchContext context) {
        this.context = context;
        this.config = context.config();
    }

    /**
     * The next page of {@code user}'s feed (anonymous when {@code null}).
     *
     * @throws InvalidCursorException when the cursor cannot be honoured, including a walk whose point in time expired
     */
    public FeedPage feed(String user, int size, Set<ItemField> fields, String cursorToken) {
        SearchEvent event = new SearchEvent();
        event.begin();
        Deadline deadline = Deadline.after(config.budget());
        String binding = Cursor.bind("feed\u001duser=" + (user == null ? "" : user));
        FeedPage page = cursorToken == null
                ? start(user, binding, size, fields, deadline)
                : resume(context.cursors().decode(cursorToken, Cursor.Kind.FEED, binding), cursorToken, size, fields,
                         deadline);
        context.meters().search("feed", page.tier().name().toLowerCase(Locale.ROOT));
        if (event.shouldCommit()) {
            event.requestId = RequestContext.currentRequestId();
            event.endpoint = "feed";
            event.tier = page.tier().name().toLowerCase(Locale.ROOT);
            event.laterPage = cursorToken != null;
            event.items = page.items().size();
            event.total = -1;
            event.commit();
        }
        return page;
    }

    private FeedPage start(String user, String binding, int size, Set<ItemField> fields, Deadline deadline) {
        Instant origin = context.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        Affinities boosts = user == null ? Affinities.none() : context.affinities().of(user);
        String snapshot = null;
        try {
            snapshot = context.snapshots().forNewWalk(() -> open(deadline));
            String shared = snapshot;
            FeedResult result = context.feedGuard().invoke(deadline, () -> context.backend().feed(
                    new FeedRequest(boosts, origin, shared, List.of(), size, fields), config.feedKeepAlive(),
                    SearchPipeline.fullLimit(config, deadline)));
            return page(result, binding, boosts, origin, SearchTier.FULL);
        } catch (InvalidCursorException e) {
            // The shared point in time expired under us: the next walk opens a new one; this one reads newest first.
            context.snapshots().gone(snapshot);
        } catch (SnapshotRefusedException e) {
            context.meters().feedSnapshot("refused_by_cluster");
            failures.warn("ranked feed could not start: " + e, null);
        } catch (RuntimeException e) {
            failures.warn("ranked feed could not start: " + e, null);
        }
        try {
            FeedResult result = context.feedGuard().invoke(deadline, () -> context.backend().feed(
                    new FeedRequest(Affinities.none(), origin, null, List.of(), size, fields), config.feedKeepAlive(),
                    deadline.cap(config.simplifiedTimeout())));
            return page(result, binding, Affinities.none(), origin, SearchTier.SIMPLIFIED);
        } catch (RuntimeException e) {
            failures.warn("newest-first feed could not start: " + e, null);
        }
        List<SearchItem> items = context.popular().get().stream().limit(size).map(SearchItem::of).toList();
        return new FeedPage(items, null, SearchTier.CACHED);
    }

    private FeedPage resume(Cursor cursor, String token, int size, Set<ItemField> fields, Deadline deadline) {
        FeedRequest request = new FeedRequest(cursor.affinities(), cursor.origin(), cursor.snapshot(), cursor.after(),
                                              size, fields);
        SearchTier tier = request.ranked() ? SearchTier.FULL : SearchTier.SIMPLIFIED;
        try {
            FeedResult result = context.feedGuard().invoke(
                    deadline, () -> context.backend().feed(request, config.feedKeepAlive(), deadline.remaining()));
            return page(result, cursor.binding(), cursor.affinities(), cursor.origin(), tier);
        } catch (InvalidCursorException e) {
            throw e;
        } catch (RuntimeException e) {
            failures.warn("feed page failed, handing the same cursor back: " + e, null);
            return new FeedPage(List.of(), token, SearchTier.CACHED);
        }
    }

    /** A new point in time for the walks to come, under the feeds' guard. */
    private String open(Deadline deadline) {
        String opened = context.feedGuard().invoke(deadline, () -> context.backend().openSnapshot(
                config.feedKeepAlive(), SearchPipeline.fullLimit(config, deadline)));
        context.meters().feedSnapshot("opened");
        return opened;
    }

    private FeedPage page(FeedResult result, String binding, Affinities boosts, Instant origin, SearchTier tier) {
        if (result.nextAfter() == null) {
            // The point in time is shared with other walks: it is not released, it expires after its last page.
            return new FeedPage(result.items(), null, tier);
        }
        Duration life = result.snapshot() != null ? config.feedKeepAlive() : config.cursorTtl();
        String next = context.cursors().encode(new Cursor(Cursor.Kind.FEED, binding, context.clock().instant().plus(life),
                                                          result.nextAfter(), boosts, origin, result.snapshot(),
                                                          Spelling.EXACT));
        return new FeedPage(result.items(), next, tier);
    }
}
