package dev.braid.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import dev.braid.catalog.CatalogItem;
import dev.braid.observe.RequestContext;
import dev.braid.observe.SearchEvent;
import dev.braid.observe.ThrottledLog;
import dev.braid.resilience.Deadline;
import dev.braid.token.InvalidCursorException;

/**
 * Answers a search through three tiers, each tried when the one before fails: the full query (personalized, with
 * facets) within the guard's timeout; a simplified one (neither) within {@code simplified-timeout}, which is kept free
 * for it; then, without the engine, a recent answer to the same page or the popular items that pass the filters. Only
 * bad input fails a search.
 */
public final class SearchPipeline {
    private static final Logger LOG = Logger.getLogger(SearchPipeline.class.getName());

    private final SearchContext context;
    private final SearchConfig config;
    private final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final RecentAnswers recent;

    public SearchPipeline(SearchContext context) {
        this.context = context;
        this.config = context.config();
        this.recent = new RecentAnswers(config.fallbackSize(), config.fallbackTtl(), System::nanoTime);
    }

    /**
     * One page of {@code query}, after {@code cursorToken} when given.
     *
     * @throws InvalidCursorException when the cursor cannot be honoured
     */
    public SearchPage search(SearchQuery query, String cursorToken) {
        SearchEvent event = new SearchEvent();
        event.begin();
        Deadline deadline = Deadline.after(config.budget());
        String binding = Cursor.bind(query.canonical());
        Cursor cursor = cursorToken == null ? null
                : context.cursors().decode(cursorToken, Cursor.Kind.SEARCH, binding);
        List<Object> after = cursor == null ? List.of() : cursor.after();
        // Later pages rank with the boosts of the first, so the order they continue is the same order.
        Affinities boosts = cursor != null ? cursor.affinities()
                : query.user() == null ? Affinities.none() : context.affinities().of(query.user());

        // A walk keeps the spelling of its first page; a first page matches the words as written.
        Spelling spelling = cursor != null ? cursor.spelling() : Spelling.EXACT;
        Optional<SearchPage> answer = attempt(query, boosts, after, binding, SearchTier.FULL, spelling, deadline);
        if (answer.isEmpty()) {
            answer = attempt(query, Affinities.none(), after, binding, SearchTier.SIMPLIFIED, spelling, deadline);
        }
        SearchPage page = answer.orElseGet(() -> fromMemory(query, boosts, after, binding));
        context.meters().search("search", page.tier().name().toLowerCase(Locale.ROOT));
        if (event.shouldCommit()) {
            event.requestId = RequestContext.currentRequestId();
            event.endpoint = "search";
            event.tier = page.tier().name().toLowerCase(Locale.ROOT);
            event.laterPage = cursor != null;
            event.items = page.items().size();
            event.total = page.total();
            event.commit();
        }
        return page;
    }

    private Optional<SearchPage> attempt(SearchQuery query, Affinities boosts, List<Object> after, String binding,
                                         SearchTier tier, Spelling spelling, Deadline deadline) {
        try {
            Spelling used = spelling;
            SearchResult result = search(query, boosts, after, tier, used, deadline);
            if (after.isEmpty() && used == Spelling.EXACT && forgivable(query) && result.total() < config.forgiveTyposBelow()) {
                // Next to nothing as written: most likely a typo. Asked again, within what is left of the tier's time.
                SearchResult forgiving = search(query, boosts, after, tier, Spelling.FORGIVING, deadline);
                if (forgiving.total() > result.total()) {
                    result = forgiving;
                    used = Spelling.FORGIVING;
                }
            }
            if (tier == SearchTier.FULL) {
                recent.remember(binding, after, result);
            }
            return Optional.of(page(result, binding, boosts, tier, used));
        } catch (RuntimeException e) {
            failures.warn("search tier " + tier + " failed: " + e, null);
            return Optional.empty();
        }
    }

    private SearchResult search(SearchQuery query, Affinities boosts, List<Object> after, SearchTier tier,
                                Spelling spelling, Deadline deadline) {
        return context.guard().invoke(
                deadline, () -> context.backend().search(query, boosts, after, tier, spelling, limit(tier, deadline)));
    }

    /** Typos are forgiven only in text queries short enough that each word's variants stay cheap. */
    private boolean forgivable(SearchQuery query) {
        return config.forgiveTyposBelow() > 0 && Spelling.forgivable(query.text());
    }

    /** Tier 1 leaves the simplified query its time; tier 2 takes what is left, at most its own timeout. */
    private Duration limit(SearchTier tier, Deadline deadline) {
        return tier == SearchTier.FULL ? fullLimit(config, deadline) : deadline.cap(config.simplifiedTimeout());
    }

    /** The full query's limit: the guard's timeout, but never into the time kept for the simplified one. */
    static Duration fullLimit(SearchConfig config, Deadline deadline) {
        return deadline.minus(config.simplifiedTimeout()).cap(config.guard().attemptTimeout());
    }

    private SearchPage fromMemory(SearchQuery query, Affinities boosts, List<Object> after, String binding) {
        Optional<SearchResult> remembered = recent.recall(binding, after);
        if (remembered.isPresent()) {
            return page(remembered.get(), binding, boosts, SearchTier.CACHED, Spelling.EXACT);
        }
        if (!after.isEmpty()) {
            // A later page nobody asked for recently: there is nothing to continue with that would not repeat items.
            return new SearchPage(List.of(), 0, false, Map.of(), null, SearchTier.CACHED);
        }
        List<SearchItem> items = new ArrayList<>();
        int matching = 0;
        List<String> words = query.text() == null ? List.of() : words(query.text());
        for (CatalogItem item : context.popular().get()) {
            if (query.filters().admits(item) && mentionsAll(item, words)) {
                matching++;
                if (items.size() < query.size()) {
                    items.add(SearchItem.of(item));
                }
            }
        }
        return new SearchPage(items, matching, false, Map.of(), null, SearchTier.CACHED);
    }

    /** Without the engine's analysis, the closest honest match: every word of the query appears in the item's text. */
    private static boolean mentionsAll(CatalogItem item, List<String> words) {
        if (words.isEmpty()) {
            return true;
        }
        String text = (item.title() + " " + item.category() + " " + item.brand()).toLowerCase(Locale.ROOT);
        return words.stream().allMatch(text::contains);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).filter(word -> !word.isEmpty())
                .toList();
    }

    private SearchPage page(SearchResult result, String binding, Affinities boosts, SearchTier tier, Spelling spelling) {
        String next = result.nextAfter() == null ? null : context.cursors().encode(new Cursor(
                Cursor.Kind.SEARCH, binding, context.clock().instant().plus(config.cursorTtl()), result.nextAfter(),
                boosts, null, null, spelling));
        return new SearchPage(result.items(), result.total(), result.totalExact(), result.facets(), next, tier);
    }
}
