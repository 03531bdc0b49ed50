package dev.braid.search;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.catalog.CatalogItem;
import dev.braid.config.Settings;
import dev.braid.observe.BraidMeters;
import dev.braid.resilience.DownstreamPolicy;
import dev.braid.token.SealedTokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tiers' logic with a scripted engine (pure logic: the engine itself is SearchIT's subject). */
class SearchPipelineTest {
    /** Time limits far above anything a cold JVM needs: what is tested here is the order of tiers, not time. */
    private static final SearchConfig CONFIG = SearchConfig.create(Settings.of(Config.just(ConfigSources.create(Map.of(
            "budget", "30s", "simplified-timeout", "10s", "guard.timeout", "10s")))));
    private static final SearchItem SHOE = new SearchItem("i1", "Red Shoe", null, "shoes", "Acme", BigDecimal.TEN, null,
                                                          null, true);

    /** Answers or fails per tier, and records what it was asked. */
    private static final class ScriptedBackend implements SearchBackend {
        final Set<SearchTier> failing;
        final List<String> asked = new ArrayList<>();
        /** Hits for the words as written; forgiving typos finds four more. */
        long exactHits = 10;

        ScriptedBackend(Set<SearchTier> failing) {
            this.failing = java.util.EnumSet.noneOf(SearchTier.class);
            this.failing.addAll(failing);
        }

        @Override
        public SearchResult search(SearchQuery query, Affinities affinities, List<Object> after, SearchTier tier,
                                   Spelling spelling, Duration limit) {
            asked.add(tier + " " + affinities.categories() + " " + after + (spelling == Spelling.EXACT ? "" : " forgiving"));
            if (failing.contains(tier)) {
                throw new SearchUnavailableException("scripted failure of " + tier, null);
            }
            return new SearchResult(List.of(SHOE), spelling == Spelling.EXACT ? exactHits : exactHits + 4, true,
                                    tier == SearchTier.FULL ? Map.of("category", List.of(new FacetCount("shoes", 1)))
                                                            : Map.of(), List.of("i1"));
        }

        @Override
        public String openSnapshot(Duration keepAlive, Duration limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FeedResult feed(FeedRequest request, Duration keepAlive, Duration limit) {
            throw new UnsupportedOperationException();
        }
    }

    private static SearchPipeline pipeline(ScriptedBackend backend, List<CatalogItem> popular) {
        BraidMeters meters = new BraidMeters(Metrics.globalRegistry());
        DownstreamPolicy guard = new DownstreamPolicy("search-test", CONFIG.guard(), new DownstreamPolicy.Failures() {
            @Override
            public boolean retryable(Throwable failure) {
                return false;
            }

            @Override
            public java.util.Optional<Duration> retryAfter(Throwable failure) {
                return java.util.Optional.empty();
            }

            @Override
            public String outcome(Throwable failure) {
                return "error";
            }
        }, meters);
        return new SearchPipeline(new SearchContext(
                CONFIG, backend, guard, guard, new SharedSnapshots(Duration.ofSeconds(30), Duration.ofMinutes(2),
                                                                   System::nanoTime),
                user -> new Affinities(Map.of("shoes", 2.0), Map.of()), () -> popular,
                new CursorCodec(new SealedTokens(List.of("0123456789abcdef".getBytes(StandardCharsets.UTF_8))),
                                Clock.systemUTC()),
                Clock.systemUTC(), meters));
    }

    private static SearchQuery query(String text, String category) {
        Map<String, Set<String>> terms = category == null ? Map.of() : Map.of("category", Set.of(category));
        return new SearchQuery(text, SearchFilters.of(terms, null, null), SearchSort.RELEVANCE, 5, ItemField.DEFAULT,
                               "u1");
    }

    @Test
    void theFullTierPersonalizesAndCountsFacets() {
        ScriptedBackend backend = new ScriptedBackend(Set.of());
        SearchPage page = pipeline(backend, List.of()).search(query("shoe", null), null);
        assertThat(page.tier()).isEqualTo(SearchTier.FULL);
        assertThat(page.facets()).containsKey("category");
        assertThat(backend.asked).containsExactly("FULL {shoes=2.0} []");
    }

    @Test
    void aFailedFullTierFallsToTheSimplifiedOneWithoutPersonalization() {
        ScriptedBackend backend = new ScriptedBackend(Set.of(SearchTier.FULL));
        SearchPipeline pipeline = pipeline(backend, List.of());
        SearchPage page = pipeline.search(query("shoe", null), null);
        assertThat(page.tier()).isEqualTo(SearchTier.SIMPLIFIED);
        assertThat(page.facets()).isEmpty();
        assertThat(backend.asked).containsExactly("FULL {shoes=2.0} []", "SIMPLIFIED {} []");
        // Its cursor carries no boosts: the rest of the walk stays unpersonalized, in one order.
        backend.failing.clear();
        pipeline.search(query("shoe", null), page.nextCursor());
        assertThat(backend.asked.getLast()).isEqualTo("FULL {} [i1]");
    }

    @Test
    void aFirstPageWithNextToNothingAsWrittenIsAskedAgainForgivingTyposAndItsWalkKeepsForgiving() {
        ScriptedBackend backend = new ScriptedBackend(Set.of());
        backend.exactHits = 0;
        SearchPipeline pipeline = pipeline(backend, List.of());

        SearchPage first = pipeline.search(query("sneakr", null), null);
        assertThat(first.total()).isEqualTo(4);
        pipeline.search(query("sneakr", null), first.nextCursor());

        assertThat(backend.asked).containsExactly("FULL {shoes=2.0} []", "FULL {shoes=2.0} [] forgiving",
                                                  "FULL {shoes=2.0} [i1] forgiving");
        // Enough hits as written: asked once. No words (browsing): nothing to forgive.
        backend.asked.clear();
        backend.exactHits = 3;
        pipeline.search(query("sneaker", null), null);
        backend.exactHits = 0;
        pipeline.search(query(null, "shoes"), null);
        assertThat(backend.asked).containsExactly("FULL {shoes=2.0} []", "FULL {shoes=2.0} []");
    }

    @Test
    void withTheEngineDownARecentAnswerIsServedAgain() {
        ScriptedBackend backend = new ScriptedBackend(Set.of());
        SearchPipeline pipeline = pipeline(backend, List.of());
        SearchPage fresh = pipeline.search(query("shoe", null), null);
        backend.failing.addAll(Set.of(SearchTier.FULL, SearchTier.SIMPLIFIED));
        SearchPage remembered = pipeline.search(query("shoe", null), null);
        assertThat(remembered.tier()).isEqualTo(SearchTier.CACHED);
        assertThat(remembered.items()).isEqualTo(fresh.items());
    }

    @Test
    void withNothingRememberedThePopularItemsThatMatchAreServed() {
        List<CatalogItem> popular = List.of(
                new CatalogItem("p1", "Blue Running Shoe", "shoes", "Acme", BigDecimal.ONE, true),
                new CatalogItem("p2", "Green Shoe", "bags", "Acme", BigDecimal.ONE, true),
                new CatalogItem("p3", "Blue Kettle", "kitchen", "Brew", BigDecimal.ONE, true));
        SearchPipeline pipeline = pipeline(new ScriptedBackend(Set.of(SearchTier.FULL, SearchTier.SIMPLIFIED)), popular);
        SearchPage page = pipeline.search(query("blue shoe", null), null);
        assertThat(page.tier()).isEqualTo(SearchTier.CACHED);
        assertThat(page.items()).extracting(SearchItem::itemId).containsExactly("p1");
        assertThat(pipeline.search(query(null, "kitchen"), null).items()).extracting(SearchItem::itemId)
                .containsExactly("p3");
        assertThat(page.nextCursor()).isNull();
    }

}
